/**
 * The theme tokens meet WCAG 2.2 AA contrast in both themes, pair by pair, before any page
 * is drawn: text 4.5:1 on every background it sits on, the focus ring and control edges
 * 3:1. The e2e suite checks the drawn pages with axe; this catches a token edit at once and
 * names the pair.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { contrastRatio, over, parseColor, themeTokens, type Rgba } from './contrast.ts';

const css = readFileSync(new URL('./tokens.css', import.meta.url), 'utf8');
const BACKGROUNDS = ['bg', 'bg-sidebar', 'surface', 'surface-2'] as const;
const TEXT = ['text', 'text-muted', 'text-faint', 'accent-text', 'ok', 'warn', 'error', 'idle', 'info'] as const;
const TONES = [
  ['ok', 'ok-soft'],
  ['warn', 'warn-soft'],
  ['error', 'error-soft'],
  ['idle', 'idle-soft'],
  ['info', 'info-soft'],
  ['accent-text', 'accent-soft'],
] as const;

for (const theme of ['dark', 'light'] as const) {
  test(`${theme} theme: every text, tone, button, focus and control pair meets AA`, () => {
    const tokens = themeTokens(css, theme);
    const color = (name: string): Rgba => {
      const value = tokens.get(name);
      assert.ok(value, `--color-${name} is missing from the ${theme} theme`);
      return parseColor(value);
    };
    const failures: string[] = [];
    const need = (fg: string, fgColor: Rgba, bg: string, bgColor: Rgba, min: number) => {
      const ratio = contrastRatio(fgColor, bgColor);
      if (ratio < min) failures.push(`${fg} on ${bg}: ${ratio.toFixed(2)}:1, needs ${min}:1`);
    };
    for (const fg of TEXT) for (const bg of BACKGROUNDS) need(fg, color(fg), bg, color(bg), 4.5);
    // Badges and pills: the tone's text on its own tint laid over each background.
    for (const [fg, tint] of TONES) for (const bg of BACKGROUNDS) need(fg, color(fg), `${tint} over ${bg}`, over(color(tint), color(bg)), 4.5);
    for (const fill of ['accent', 'accent-hover', 'accent-pressed']) need('accent-contrast', color('accent-contrast'), fill, color(fill), 4.5);
    for (const bg of BACKGROUNDS) need('focus', color('focus'), bg, color(bg), 3);
    for (const bg of ['surface', 'surface-2', 'bg']) need('border-control', color('border-control'), bg, color(bg), 3);
    assert.deepEqual(failures, []);
  });
}

test('the contrast arithmetic matches known WCAG figures', () => {
  assert.equal(contrastRatio(parseColor('#000000'), parseColor('#ffffff')).toFixed(2), '21.00');
  assert.equal(contrastRatio(parseColor('#777777'), parseColor('#ffffff')).toFixed(2), '4.48');
  // The issue's own measurement with axe: white on the old light accent, 3.46:1.
  assert.ok(Math.abs(contrastRatio(parseColor('#ffffff'), parseColor('#e4620e')) - 3.46) < 0.02);
  // A 50 % black tint over white is mid grey.
  assert.deepEqual(over(parseColor('rgb(0 0 0 / 50%)'), parseColor('#ffffff')).slice(0, 3), [127.5, 127.5, 127.5]);
  assert.throws(() => parseColor('tomato'), /Unsupported colour/);
});
