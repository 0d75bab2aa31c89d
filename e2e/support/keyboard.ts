import { expect, type Locator, type Page } from '@playwright/test';

/** A short description of the focused element, for failure messages: tag, role, name. */
function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '<body>';
    const name = el.getAttribute('aria-label') ?? (el as HTMLElement).innerText?.trim().slice(0, 40) ?? '';
    const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent?.trim() : undefined;
    const role = el.getAttribute('role');
    return `${el.tagName.toLowerCase()}${role ? `[role=${role}]` : ''} "${label ?? name}"`;
  });
}

/**
 * Fails unless the focused element shows a focus indicator: an outline, or a box-shadow it
 * does not have unfocused (a primary button's resting glow is not a focus ring). The unfocused
 * look is read from a bare copy of the element put beside it for the moment of the reading.
 * An invisible focus ring leaves a keyboard user guessing where they are.
 */
export async function expectFocusVisible(page: Page): Promise<void> {
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && style.outlineColor !== 'rgba(0, 0, 0, 0)';
    const probe = el.cloneNode(false) as HTMLElement;
    probe.removeAttribute('id');
    el.after(probe);
    const restingShadow = getComputedStyle(probe).boxShadow;
    probe.remove();
    return { outline: outline ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` : '', shadow: style.boxShadow !== restingShadow ? style.boxShadow : '' };
  });
  expect(ring, 'something has focus').not.toBeNull();
  expect(ring!.outline || ring!.shadow, `the focused ${await describeFocus(page)} shows a focus ring (an outline, or a box-shadow it lacks unfocused)`).not.toBe('');
}

/** Fails if focus fell back to <body> (after an action, it must land somewhere useful). */
export async function expectFocusKept(page: Page, after: string): Promise<void> {
  const where = await describeFocus(page);
  expect(where, `focus after ${after}`).not.toBe('<body>');
}

/**
 * Presses Tab (or Shift+Tab) until `target` has focus (none if it has it already), at most `maxPresses` times, and fails
 * with every element focus passed through if it never gets there: the bound is the tab-order
 * check (the control is reachable, and not behind a long detour). Checks the focus ring on arrival.
 */
export async function tabTo(page: Page, target: Locator, maxPresses: number, options: { backward?: boolean } = {}): Promise<void> {
  await expect(target).toBeVisible();
  const key = options.backward ? 'Shift+Tab' : 'Tab';
  const path: string[] = [];
  if (await target.evaluate((el) => el === document.activeElement)) return expectFocusVisible(page);
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press(key);
    path.push(await describeFocus(page));
    if (await target.evaluate((el) => el === document.activeElement)) {
      await expectFocusVisible(page);
      return;
    }
  }
  throw new Error(`${key} did not reach ${target.toString()} in ${maxPresses} presses; focus went:\n  ${path.join('\n  ')}`);
}
