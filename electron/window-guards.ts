import type { ContentsEdges } from './edges.ts';
import { isAllowedExternalUrl, isAppUrl, isPermissionAllowed } from './security.ts';

/**
 * Every web contents: no navigation away from the app in any frame (a link, a form, a
 * script, or a server redirect), no webviews, no new windows (allowlisted https links open
 * in the user's browser instead).
 */
export function guardWebContents(contents: ContentsEdges, openExternal: (url: string) => Promise<void>): void {
  const stayInApp = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  // will-navigate covers the main frame only; will-frame-navigate every frame, iframes too;
  // will-redirect a navigation already allowed that the server sends elsewhere.
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
}

/** What Electron's permission request details carry for every kind of request. */
interface RequestDetails {
  requestingUrl: string;
  isMainFrame: boolean;
}

/** session.setPermissionRequestHandler: grant only isPermissionAllowed's one permission. */
export function permissionRequestHandler(_contents: unknown, permission: string, callback: (granted: boolean) => void, details: RequestDetails): void {
  callback(isPermissionAllowed(permission, details.requestingUrl, details.isMainFrame));
}

/** session.setPermissionCheckHandler: the same rule for the checks web APIs make before asking. */
export function permissionCheckHandler(_contents: unknown, permission: string, requestingOrigin: string, details: { requestingUrl?: string; isMainFrame: boolean }): boolean {
  return isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame);
}
