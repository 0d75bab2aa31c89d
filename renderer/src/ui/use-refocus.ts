import { useEffect, useRef, type RefObject } from 'react';

/**
 * After `key` changes (never on the first render), moves focus to `target()` if the user's
 * focus was inside `scope` and got lost: when an action swaps the control that had it for
 * another (Pause for Resume, one wallet step for the next), the browser drops focus to <body>
 * and a keyboard user starts again from the top of the page. A change that comes from
 * outside (an event, auto-lock) while the user is elsewhere never pulls focus to it.
 * `undefined` as the key means not loaded yet: the first value read is not a change.
 */
export function useRefocus(key: unknown, scope: RefObject<HTMLElement | null>, target: () => HTMLElement | null | undefined): void {
  const last = useRef(key);
  // Where focus last went, kept from focusin: a removed element fires nothing, so this still
  // says "inside" after the control that had focus is gone.
  const inside = useRef(false);
  useEffect(() => {
    const track = (event: FocusEvent) => {
      inside.current = event.target instanceof Node && (scope.current?.contains(event.target) ?? false);
    };
    inside.current = scope.current?.contains(document.activeElement) ?? false;
    document.addEventListener('focusin', track);
    return () => document.removeEventListener('focusin', track);
  }, [scope]);
  useEffect(() => {
    if (Object.is(last.current, key)) return;
    const known = last.current !== undefined;
    last.current = key;
    if (!known || !inside.current) return;
    const active = document.activeElement;
    if (active === null || active === document.body) target()?.focus();
  });
}
