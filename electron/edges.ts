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
