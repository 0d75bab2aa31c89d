import { useSetting } from '../../state/settings.ts';
import { Select, Toggle, type SelectOption } from '../../ui/index.ts';

const themeOptions: readonly SelectOption<'system' | 'light' | 'dark'>[] = [
  { value: 'system', label: 'Match the system' },
  { value: 'dark', label: 'Dark' },
  { value: 'light', label: 'Light' },
];

/** Each kind of notification core sends (core/notifications/rules.ts), under the master switch. */
const notificationKinds = [
  { field: 'notifyFirstPayment', id: 'first-payment', label: 'First payment', help: 'When Hearth is paid for its first job.' },
  {
    field: 'notifyAttention',
    id: 'attention',
    label: 'Problems that stop earning',
    help: 'When Hearth loses its network, its stake falls below the minimum, or its records differ from the chain.',
  },
  { field: 'notifyWalletLocked', id: 'wallet-locked', label: 'Wallet locked while jobs wait', help: 'When paid jobs are waiting and the wallet must be unlocked to go on.' },
] as const;

function NotificationKind({ field, id, label, help, disabled }: (typeof notificationKinds)[number] & { disabled: boolean }) {
  const setting = useSetting('general', field);
  return (
    <Toggle
      id={`setting-general-notify-${id}`}
      label={label}
      help={help}
      checked={setting.value ?? true}
      busy={setting.saving}
      error={setting.error}
      disabled={disabled}
      onChange={(value) => void setting.set(value)}
    />
  );
}

export function GeneralSection() {
  const theme = useSetting('general', 'theme');
  const launchAtLogin = useSetting('general', 'launchAtLogin');
  const notifications = useSetting('general', 'notifications');
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
      {notificationKinds.map((kind) => (
        <NotificationKind key={kind.field} {...kind} disabled={notificationsOff} />
      ))}
    </>
  );
}
