import type { ComponentType, ReactNode } from 'react';
import { ChipIcon, ConsoleIcon, EarnIcon, HomeIcon, JobsIcon, SettingsIcon, WalletIcon } from '../ui/icons.tsx';
import { OverviewPage } from './OverviewPage.tsx';
import { DevicesPage } from './DevicesPage.tsx';
import { JobsPage } from './JobsPage.tsx';
import { WalletPage } from './WalletPage.tsx';
import { EarnPage } from './EarnPage.tsx';
import { SettingsPage } from './SettingsPage.tsx';
import { ConsolePage } from './ConsolePage.tsx';

export interface PageEntry {
  /** The URL id: `#/<id>`. Lowercase, stable (bookmarks and tests use it). */
  id: string;
  title: string;
  icon: ReactNode;
  component: ComponentType;
  /** `main` pages sit at the top of the sidebar, `system` ones at the bottom. */
  group: 'main' | 'system';
}

/** Every page in sidebar order. A capability adds or replaces its page with one line here. */
export const pages: readonly PageEntry[] = [
  { id: 'overview', title: 'Overview', icon: <HomeIcon />, component: OverviewPage, group: 'main' },
  { id: 'devices', title: 'Devices', icon: <ChipIcon />, component: DevicesPage, group: 'main' },
  { id: 'jobs', title: 'Jobs', icon: <JobsIcon />, component: JobsPage, group: 'main' },
  { id: 'wallet', title: 'Wallet', icon: <WalletIcon />, component: WalletPage, group: 'main' },
  { id: 'earn', title: 'Earn', icon: <EarnIcon />, component: EarnPage, group: 'main' },
  { id: 'settings', title: 'Settings', icon: <SettingsIcon />, component: SettingsPage, group: 'system' },
  { id: 'console', title: 'Console', icon: <ConsoleIcon />, component: ConsolePage, group: 'system' },
];

export const DEFAULT_PAGE = 'overview';

/** The page for an id, or the default page for an unknown one. */
export function findPage(id: string): PageEntry {
  const found = pages.find((page) => page.id === id) ?? pages.find((page) => page.id === DEFAULT_PAGE) ?? pages[0];
  if (!found) throw new Error('The page registry is empty.');
  return found;
}
