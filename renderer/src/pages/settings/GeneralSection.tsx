import { useSetting } from '../../state/settings.ts';
import { Select, Toggle, type SelectOption } from '../../ui/index.ts';

const themeOptions: readonly SelectOption<'system' | 'light' | 'dark'>[] = [
  { value: 'system', label: 'Match the system' },
  { value: 'dark', label: 'Dark' },
  { value: 'light', label: 'Light' },
];

export function GeneralSection() {
  const theme = useSetting('general', 'theme');
  const launchAtLogin = useSetting('general', 'launchAtLogin');
  const notifications = useSetting('general', 'notifications');
  const firstPayment = useSetting('general', 'notifyFirstPayment');
  const attention = useSetting('general', 'notifyAttention');
  const walletLocked = useSetting('general', 'notifyWalletLocked');
  const notificationsOff = notifications.value === false;

  return (
    <>
      <Select
        id="setting-general-theme"
        label="Theme"
        help="Match the system follows your computer's light or dark mode."
        value={theme.value ?? 'system'}
        options={themeOptions}
        busy={theme.saving}
        error={theme.error}
        onChange={(value) => void theme.set(value)}
      />
      <Toggle
        id="setting-general-launch-at-login"
        label="Launch at login"
        help="Start Hearth hidden in the tray when you sign in, so it can earn without you opening it. Applies to the desktop app."
        checked={launchAtLogin.value ?? false}
        busy={launchAtLogin.saving}
        error={launchAtLogin.error}
        onChange={(value) => void launchAtLogin.set(value)}
      />
      <Toggle
        id="setting-general-notifications"
        label="Notifications"
        help="Let Hearth tell you about the things below while its window is closed. Off silences them all."
        checked={notifications.value ?? true}
        busy={notifications.saving}
        error={notifications.error}
        onChange={(value) => void notifications.set(value)}
      />
      <Toggle
        id="setting-general-notify-first-payment"
        label="First payment"
        help="When Hearth is paid for its first job."
        checked={firstPayment.value ?? true}
        busy={firstPayment.saving}
        error={firstPayment.error}
        disabled={notificationsOff}
        onChange={(value) => void firstPayment.set(value)}
      />
      <Toggle
        id="setting-general-notify-attention"
        label="Problems that stop earning"
        help="When Hearth loses its network, its stake falls below the minimum, or its records differ from the chain."
        checked={attention.value ?? true}
        busy={attention.saving}
        error={attention.error}
        disabled={notificationsOff}
        onChange={(value) => void attention.set(value)}
      />
      <Toggle
        id="setting-general-notify-wallet-locked"
        label="Wallet locked while jobs wait"
        help="When paid jobs are waiting and the wallet must be unlocked to go on."
        checked={walletLocked.value ?? true}
        busy={walletLocked.saving}
        error={walletLocked.error}
        disabled={notificationsOff}
        onChange={(value) => void walletLocked.set(value)}
      />
    </>
  );
}
