import type * as Electron from 'electron';

/**
 * Typing helpers for the parts of Electron the shell touches, so tests can hand in fakes
 * that the compiler checks against Electron's own declarations.
 *
 * Electron declares its emitters' `on`/`once`/`removeListener` as returning `this` (the
 * whole App, WebContents, ...), which no fake can be. The shell never chains those calls,
 * so `Unchained` keeps a method's real parameters and lets it return anything. It needs a
 * method with one signature (ipcRenderer.on, utilityProcess.on); the overloaded event
 * methods of App and WebContents are listed event by event in desktop.ts instead, and the
 * real module must still be assignable to them (main.ts passes it, so typecheck proves it).
 */
export type Unchained<T, K extends keyof T> = {
  [P in K]: T[P] extends (...args: infer A) => unknown ? (...args: A) => unknown : never;
};

/** Electron's navigation event, with the fields the guards read (`url`). */
export type NavigationEvent = Electron.Event<Electron.WebContentsWillNavigateEventParams>;

/** A web contents as the guards see it: navigation events, webviews, window.open. */
export type ContentsEdges = Pick<Electron.WebContents, 'setWindowOpenHandler'> & {
  on: {
    (event: 'will-navigate', listener: (details: Electron.Event<Electron.WebContentsWillNavigateEventParams>) => void): unknown;
    (event: 'will-frame-navigate', listener: (details: Electron.Event<Electron.WebContentsWillFrameNavigateEventParams>) => void): unknown;
    (event: 'will-redirect', listener: (details: Electron.Event<Electron.WebContentsWillRedirectEventParams>) => void): unknown;
    (event: 'will-attach-webview', listener: (event: Electron.Event) => void): unknown;
  };
};

/** The app as the shell drives it: lifecycle calls and the events it listens to. */
export type AppEdges = Pick<Electron.App, 'quit' | 'exit' | 'whenReady' | 'requestSingleInstanceLock' | 'releaseSingleInstanceLock'> & {
  on: {
    (event: 'second-instance', listener: () => void): unknown;
    (event: 'activate', listener: () => void): unknown;
    (event: 'web-contents-created', listener: (event: Electron.Event, contents: ContentsEdges) => void): unknown;
    (event: 'window-all-closed', listener: () => void): unknown;
    (event: 'will-quit', listener: (event: Electron.Event) => void): unknown;
  };
};

/** One Hearth window: what the shell calls on it. */
export type WindowEdges = Pick<Electron.BrowserWindow, 'show' | 'focus' | 'restore' | 'isMinimized' | 'loadURL'> & {
  webContents: Pick<Electron.WebContents, 'isDestroyed' | 'send'>;
  once: (event: 'ready-to-show', listener: () => void) => unknown;
  on: (event: 'closed', listener: () => void) => unknown;
};

/** The BrowserWindow class: construct a window, count the open ones. */
export interface WindowClassEdges {
  new (options: Electron.BrowserWindowConstructorOptions): WindowEdges;
  getAllWindows(): readonly unknown[];
}

/** The session calls that set permission handling. */
export type PermissionEdges = Pick<Electron.Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;
