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
        help="Start Hearth in the background when you sign in, so it can earn without you opening it. Applies to the desktop app."
        checked={launchAtLogin.value ?? false}
        busy={launchAtLogin.saving}
        error={launchAtLogin.error}
        onChange={(value) => void launchAtLogin.set(value)}
      />
      <Toggle
        id="setting-general-notifications"
        label="Notifications"
        help="Tell me when a job finishes, a payment arrives or something needs my attention."
        checked={notifications.value ?? true}
        busy={notifications.saving}
        error={notifications.error}
        onChange={(value) => void notifications.set(value)}
      />
    </>
  );
}
