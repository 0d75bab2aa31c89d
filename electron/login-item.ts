/**
 * Start at login, hidden in the tray. Windows: a Run key through setLoginItemSettings with
 * `--hidden`. macOS: a login item (SMAppService); it cannot pass arguments, so a start at
 * login is recognised by `wasOpenedAtLogin` instead (openAsHidden is gone since Electron
 * 28/macOS 13). Linux: setLoginItemSettings does nothing there, so Hearth writes an XDG
 * autostart entry, `~/.config/autostart/hearth.desktop`, itself.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type * as Electron from 'electron';
import { writeFileAtomic } from '../core/fs/atomic-write.ts';

export const HIDDEN_FLAG = '--hidden';

export interface LoginItemDeps {
  app: Pick<Electron.App, 'setLoginItemSettings'>;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  execPath: string;
  /** Unpackaged (a checkout): the executable is Electron itself and needs the app folder. */
  packaged: boolean;
  appPath: string;
}

/** Where the Linux autostart entry goes (XDG_CONFIG_HOME when set, as the spec says). */
export function autostartFile(env: NodeJS.ProcessEnv, home: string): string {
  const config = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/') ? env['XDG_CONFIG_HOME'] : join(home, '.config');
  return join(config, 'autostart', 'hearth.desktop');
}

/**
 * One argument of an Exec key, quoted by the Desktop Entry rules: reserved characters
 * need double quotes, inside which `"`, `` ` ``, `$` and `\` are escaped; `%` is doubled
 * (field codes); then the key's own string escaping doubles each backslash again.
 */
export function execArg(arg: string): string {
  const percent = arg.replace(/%/g, '%%');
  const quoted = /[\s"'\\><~|&;$*?#()`=]/.test(percent) ? `"${percent.replace(/(["`$\\])/g, '\\$1')}"` : percent;
  return quoted.replace(/\\/g, '\\\\');
}

/** The autostart entry: starts Hearth hidden in the tray. */
export function desktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Hearth',
    'Comment=Earns with this computer while you are away',
    `Exec=${command.map(execArg).join(' ')}`,
    'Icon=hearth',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** The command that starts this Hearth: the AppImage file (not its temporary mount) when there is one. */
export function launchCommand(deps: Pick<LoginItemDeps, 'env' | 'execPath' | 'packaged' | 'appPath'>): string[] {
  const exe = deps.env['APPIMAGE'] ?? deps.execPath;
  return [exe, ...(deps.packaged ? [] : [deps.appPath]), HIDDEN_FLAG];
}

/** Turns start-at-login on or off for this platform. */
export async function applyLaunchAtLogin(deps: LoginItemDeps, enabled: boolean): Promise<void> {
  if (deps.platform === 'linux') {
    const file = autostartFile(deps.env, deps.home);
    if (!enabled) {
      await rm(file, { force: true });
      return;
    }
    await mkdir(join(file, '..'), { recursive: true });
    await writeFileAtomic(file, desktopEntry(launchCommand(deps)), 0o644);
    return;
  }
  if (deps.platform === 'win32') {
    const [path, ...args] = launchCommand(deps);
    deps.app.setLoginItemSettings({ openAtLogin: enabled, path: path!, args });
    return;
  }
  deps.app.setLoginItemSettings({ openAtLogin: enabled });
}

/** True when this start should show no window: `--hidden` (Windows, Linux), or opened at login on macOS. */
export function startedHidden(argv: readonly string[], platform: NodeJS.Platform, app: Pick<Electron.App, 'getLoginItemSettings'>): boolean {
  if (argv.includes(HIDDEN_FLAG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}
