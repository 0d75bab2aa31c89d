import { useEffect, useState } from 'react';

export interface Route {
  /** The page id, e.g. "settings" in `#/settings/general`. */
  page: string;
  /** Anything after the page id, for pages with their own sub-views. */
  rest: string[];
}

/** Parses `#/page/sub/...`; anything else gives the default page. */
export function parseHash(hash: string, fallback: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [page, ...rest] = parts;
  return { page: page ?? fallback, rest };
}

export function hrefFor(page: string, ...rest: string[]): string {
  return `#/${[page, ...rest].map(encodeURIComponent).join('/')}`;
}

/** Hash routing: works the same from app:// in Electron and http:// from the daemon. */
export function useHashRoute(fallback: string): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash, fallback));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash, fallback));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [fallback]);
  return route;
}
