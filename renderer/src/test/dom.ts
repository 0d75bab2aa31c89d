// Installs a jsdom window as the global DOM before React is imported. Component tests
// import this first, then load React and the components with dynamic import().
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://127.0.0.1/', pretendToBeVisual: true });
const g = globalThis as Record<string, unknown>;
const win = dom.window as unknown as Record<string, unknown>;
for (const key of ['window', 'document', 'navigator', 'HTMLElement', 'HTMLInputElement', 'Node', 'Element', 'Event', 'KeyboardEvent', 'MouseEvent', 'MutationObserver', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame', 'localStorage', 'sessionStorage', 'matchMedia', 'location', 'history']) {
  if (key === 'navigator' && key in g) {
    Object.defineProperty(g, key, { value: win[key], configurable: true });
  } else {
    g[key] = win[key] ?? g[key];
  }
}
// jsdom has no matchMedia; the theme code asks it for prefers-color-scheme.
(dom.window as unknown as { matchMedia: unknown }).matchMedia = (query: string) => ({
  matches: false,
  media: query,
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
});
g['matchMedia'] = (dom.window as unknown as { matchMedia: unknown }).matchMedia;
g['IS_REACT_ACT_ENVIRONMENT'] = true;

export const testWindow = dom.window;
