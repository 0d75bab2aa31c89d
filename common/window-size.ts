/**
 * The desktop window's size, as the page inside it sees it (Electron's `useContentSize`, so the
 * frame and title bar come on top). The minimum is the smallest page that still shows
 * everything without sideways scrolling; e2e/display.spec.ts holds every page to it.
 */
export const WINDOW_CONTENT_SIZE = { width: 1180, height: 780 } as const;
export const MIN_WINDOW_CONTENT_SIZE = { width: 900, height: 600 } as const;
