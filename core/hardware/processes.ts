/**
 * "Someone else is using this GPU": classify each process nvidia-smi lists.
 * On Windows (WDDM) and on Wayland desktops the compute list always holds the compositor
 * and GUI apps (see the recorded outputs), so a non-empty list alone means nothing.
 */
import type { GpuProcess, GpuProcessKind } from '../../common/hardware.ts';

export type ProcessContext = {
  /** Pids of Hearth's own worker(s): never count as "someone else". */
  ownPids: ReadonlySet<number>;
  /** Process types (C, G, C+G) learned from `nvidia-smi -q -x`, by pid; CSV has no type column. */
  knownTypes?: ReadonlyMap<number, string>;
};

/** Display servers, compositors, shells and desktop helpers (lower-case base names, no .exe). */
const DESKTOP_NAMES = new Set([
  // Linux display servers / compositors / shells
  'xorg', 'x', 'xwayland', 'kwin_wayland', 'kwin_x11', 'kwin', 'gnome-shell', 'mutter', 'plasmashell',
  'plasma-keyboard', 'xwaylandvideobridge', 'sway', 'hyprland', 'weston', 'wayfire', 'cinnamon', 'muffin',
  'marco', 'xfwm4', 'compiz', 'picom', 'compton', 'budgie-wm', 'kscreenlocker_greet', 'gnome-remote-desktop-daemon',
  'cosmic-comp', 'labwc', 'river', 'niri', 'gdm-x-session', 'gdm-wayland-session', 'lightdm', 'sddm-greeter',
  // Windows shell and system UI
  'dwm', 'explorer', 'shellhost', 'searchhost', 'searchapp', 'startmenuexperiencehost', 'shellexperiencehost',
  'textinputhost', 'lockapp', 'applicationframehost', 'systemsettings', 'crossdeviceresume', 'phoneexperiencehost',
  'widgets', 'widgetservice', 'windowsterminal', 'ctfmon', 'gamebar', 'gamebarftserver', 'rtkuwp',
  // GPU vendor overlays and browsers' GPU processes (graphics, not compute)
  'nvidia overlay', 'nvidia share', 'nvcontainer', 'nvidia app', 'msedge', 'msedgewebview2', 'chrome', 'chromium',
  'firefox', 'firefox-bin', 'opera', 'brave', 'vivaldi', 'steamwebhelper',
]);

/** Folders whose programs are part of the Windows desktop itself. */
const DESKTOP_PATHS = [/\\windows\\systemapps\\/i, /\\windows\\system32\\/i, /\\windows\\immersivecontrolpanel\\/i, /\\windowsapps\\microsoft\./i];

/** Lower-case program base name without directory, arguments or ".exe". */
export function baseName(processName: string): string {
  let s = processName.trim();
  // Linux command lines carry arguments ("/opt/.../code --type=gpu-process ..."); Windows paths may hold spaces.
  if (!/^[a-z]:\\/i.test(s)) s = s.split(/\s+--?/)[0] ?? s;
  const last = s.split(/[\\/]/).pop() ?? s;
  return last.replace(/\.exe$/i, '').trim().toLowerCase();
}

/** True when a process is part of the desktop (compositor, shell, browser GPU process...). */
export function isDesktopProcess(processName: string): boolean {
  if (/--type=gpu-process/.test(processName)) return true; // Chromium/Electron apps' GPU helper
  if (DESKTOP_PATHS.some((re) => re.test(processName))) return true;
  return DESKTOP_NAMES.has(baseName(processName));
}

/** ours / desktop / compute for one process. */
export function classifyProcess(
  p: Pick<GpuProcess, 'pid' | 'name' | 'type'>,
  ctx: ProcessContext,
): GpuProcessKind {
  if (ctx.ownPids.has(p.pid)) return 'ours';
  const type = (p.type ?? ctx.knownTypes?.get(p.pid) ?? '').toUpperCase();
  // Graphics-only, or graphics+compute (every GUI app under WDDM, compositors on Wayland): not a compute tenant.
  if (type === 'G' || type === 'C+G') return 'desktop';
  if (type === 'C') return 'compute';
  return isDesktopProcess(p.name) ? 'desktop' : 'compute';
}

/** Processes that mean someone else is computing on the GPU. */
export function otherComputeProcesses<T extends Pick<GpuProcess, 'kind'>>(procs: readonly T[]): T[] {
  return procs.filter((p) => p.kind === 'compute');
}
