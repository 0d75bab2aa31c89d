import '../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { NumberInput, Toggle } from './inputs.tsx';
import { Button } from './Button.tsx';
import { ProgressBar, clampUnit } from './ProgressBar.tsx';
import { sparklinePath } from './Sparkline.tsx';

afterEach(() => cleanup());

test('NumberInput reports only numbers in range and explains the others', () => {
  const seen: (number | null)[] = [];
  render(<NumberInput label="Idle minutes" value={5} min={1} max={120} step={1} onChange={(v) => seen.push(v)} />);
  const input = screen.getByLabelText('Idle minutes');
  fireEvent.change(input, { target: { value: '500' } });
  assert.match(document.body.textContent ?? '', /Enter a value from 1 to 120\./);
  fireEvent.change(input, { target: { value: 'abc' } });
  assert.match(document.body.textContent ?? '', /Enter a number/);
  fireEvent.change(input, { target: { value: '2.5' } });
  assert.match(document.body.textContent ?? '', /whole number/);
  fireEvent.change(input, { target: { value: '10' } });
  fireEvent.change(input, { target: { value: '' } });
  assert.deepEqual(seen, [10, null]);
});

test('Toggle is a labelled switch that reports the new state', () => {
  const seen: boolean[] = [];
  render(<Toggle label="Notifications" checked={false} onChange={(v) => seen.push(v)} />);
  const toggle = screen.getByLabelText('Notifications');
  fireEvent.click(toggle);
  assert.deepEqual(seen, [true]);
});

test('a busy Button keeps focus, says it is unavailable, and neither fires nor submits', () => {
  let clicks = 0;
  let submits = 0;
  const view = (busy: boolean) => (
    <form onSubmit={(event) => (event.preventDefault(), submits++)}>
      <Button type="submit" busy={busy} onClick={() => clicks++}>
        Save
      </Button>
    </form>
  );
  const { rerender } = render(view(false));
  const button = screen.getByRole<HTMLButtonElement>('button');
  button.focus();
  rerender(view(true));
  // Natively disabled, the browser would drop focus to <body>; aria-disabled keeps it here.
  assert.equal(button.disabled, false);
  assert.equal(button.getAttribute('aria-disabled'), 'true');
  assert.equal(document.activeElement, button);
  fireEvent.click(button);
  assert.deepEqual([clicks, submits], [0, 0]);
  rerender(view(false));
  assert.equal(button.getAttribute('aria-disabled'), null);
  fireEvent.click(button);
  assert.deepEqual([clicks, submits], [1, 1]);
});

test('ProgressBar and Sparkline keep their geometry inside bounds', () => {
  assert.deepEqual([clampUnit(-1), clampUnit(0.5), clampUnit(2), clampUnit(Number.NaN)], [0, 0.5, 1, 0]);
  render(<ProgressBar value={0.42} label="Benchmark" />);
  const bar = screen.getByRole('progressbar');
  assert.equal(bar.getAttribute('aria-valuenow'), '42');
  const path = sparklinePath([0, 50, 100], 100, 20);
  const ys = [...path.matchAll(/[ML]\s*([\d.]+)[ ,]([\d.]+)/g)].map((m) => Number(m[2]));
  assert.ok(ys.length === 3 && ys.every((y) => y >= 0 && y <= 20), `path stays inside the box: ${path}`);
});
