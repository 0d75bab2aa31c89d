import { runCommand, type RunCommand } from './run-command.ts';

/** Whether some app fills the screen, or why that cannot be known here. */
export type FullscreenProbe = () => Promise<{ fullscreen: boolean; app: string | null } | { error: string }>;

/** Pulls the window id out of `xprop -root _NET_ACTIVE_WINDOW` ("... window id # 0x3a00007"). */
export function parseActiveWindow(stdout: string): string | null {
  const m = /#\s*(0x[0-9a-f]+)/i.exec(stdout);
  return m?.[1] && m[1] !== '0x0' ? m[1] : null;
}

/**
 * X11: the active window's _NET_WM_STATE holds _NET_WM_STATE_FULLSCREEN. Needs DISPLAY and
 * `xprop` (Debian package x11-utils). Windows and macOS offer no way without native code,
 * so there the probe says it cannot tell (the app list still covers games).
 */
export function createFullscreenProbe(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, run: RunCommand = runCommand): FullscreenProbe {
  if (platform !== 'linux') return async () => ({ error: 'Hearth cannot detect fullscreen apps on this system yet; add the apps to your list instead.' });
  if (!env.DISPLAY) return async () => ({ error: 'No X11 display (DISPLAY is not set), so fullscreen apps cannot be seen.' });
  return async () => {
    const root = await run('xprop', ['-root', '_NET_ACTIVE_WINDOW'], 1000);
    if (!root.ok) return { error: root.missing ? 'xprop is not installed (Debian: apt install x11-utils).' : root.reason };
    const id = parseActiveWindow(root.stdout);
    if (!id) return { fullscreen: false, app: null };
    const win = await run('xprop', ['-id', id, '_NET_WM_STATE', 'WM_CLASS'], 1000);
    if (!win.ok) return { error: win.reason };
    const fullscreen = /_NET_WM_STATE_FULLSCREEN/.test(win.stdout);
    const cls = /WM_CLASS\(STRING\)\s*=\s*"[^"]*",\s*"([^"]+)"/.exec(win.stdout);
    return { fullscreen, app: cls?.[1] ?? null };
  };
}
