/**
 * Pure rules for what the desktop window may do. Kept free of Electron so they are
 * tested directly; window-guards.ts and ipc-binding.ts apply them to Electron's events.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'hearth';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Hosts the app may open in the user's browser (docs, explorers). Only https. */
export const EXTERNAL_HOSTS = new Set(['github.com', 'etherscan.io', 'sepolia.etherscan.io', 'basescan.org', 'arbiscan.io']);

/** True for https links to an allowlisted host, with no credentials in the URL. */
export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' && EXTERNAL_HOSTS.has(url.hostname);
}

/** True when a URL belongs to the app's own origin (app://hearth/...). */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The one permission the window is granted: writing sanitized text to the clipboard, which
 * navigator.clipboard.writeText needs ("Copy address"). Everything else (camera, location,
 * notifications from the page, reading the clipboard...) is denied.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** True only for a granted permission asked by the app's own top frame (app://hearth). */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, isMainFrame: boolean): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isMainFrame && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

/** The parts of an IPC sender frame the check needs (Electron's WebFrameMain has them). */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** IPC is served only to the app's own top-level frame: never to an iframe or another origin. */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
