import type { ComponentType } from 'react';
import { GeneralSection } from './GeneralSection.tsx';
import { MarketSection } from './MarketSection.tsx';
import { SchedulerSection } from './SchedulerSection.tsx';
import { WalletSettingsSection } from '../wallet/WalletSettingsSection.tsx';

export interface SettingsSectionEntry {
  /** Matches the section's key in common/settings.ts. */
  id: string;
  title: string;
  description: string;
  /** Renders the section's fields (use `useSetting(section, field)` for each). */
  component: ComponentType;
}

/** Settings sections in page order. A capability adds its section with one line here. */
export const settingsSections: readonly SettingsSectionEntry[] = [
  { id: 'general', title: 'General', description: 'How Hearth looks and behaves on this computer.', component: GeneralSection },
  { id: 'scheduler', title: 'When Hearth works', description: 'Idle time, limits and the programs and hours that pause Hearth.', component: SchedulerSection },
  { id: 'market', title: 'Market', description: 'Paid jobs: whether Hearth takes them, the lowest price it accepts, and what power costs you.', component: MarketSection },
  { id: 'wallet', title: 'Wallet', description: 'How long the wallet stays unlocked and when a transaction counts as confirmed.', component: WalletSettingsSection },
];
