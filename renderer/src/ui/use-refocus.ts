import { useEffect, useRef } from 'react';

/**
 * After `key` changes (never on the first render), moves focus to `target()` if focus was
 * lost: when an action swaps the control that had it for another (Pause for Resume, one
 * wallet step for the next), the browser drops focus to <body> and a keyboard user starts
 * again from the top of the page. Focus the user put elsewhere is left alone, so a change
 * that comes from outside (an event, auto-lock) never pulls it away.
 */
export function useRefocus(key: unknown, target: () => HTMLElement | null | undefined): void {
  const last = useRef(key);
  useEffect(() => {
    if (Object.is(last.current, key)) return;
    const known = last.current !== undefined;
    last.current = key;
    // `undefined` means not loaded yet: the first value read is not something the user did.
    if (!known) return;
    const active = document.activeElement;
    if (active === null || active === document.body) target()?.focus();
  });
}
