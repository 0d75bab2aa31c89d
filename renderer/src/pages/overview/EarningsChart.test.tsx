import '../../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { EarningsDay } from '../../../../common/ipc/groups/market.ts';
import { EarningsChart } from './EarningsChart.tsx';

afterEach(() => cleanup());

const tokens = (whole: string) => (BigInt(Math.round(Number(whole) * 1000)) * 10n ** 15n).toString();
const day = (d: string, earned: string, jobs: number, electricity: string | null = null): EarningsDay => ({
  day: d,
  earnedWei: tokens(earned),
  gasWei: '0',
  jobs,
  electricityWei: electricity === null ? null : tokens(electricity),
});

test('the chart (a canvas, hidden) is a figure named by a sentence with its figures', () => {
  render(<EarningsChart days={[day('2026-11-28', '0', 0), day('2026-11-29', '1.25', 3, '0.1'), day('2026-11-30', '0.5', 1)]} />);
  assert.ok(
    screen.getByRole('figure', {
      name: 'Earned 1.75 HRTH in the last 30 days from 4 jobs; the best day was 2026-11-29 with 1.25 HRTH. Each day is in the table that follows.',
    }),
  );
});

test('each day’s figures are in a table a screen reader can walk', () => {
  render(<EarningsChart days={[day('2026-11-29', '1.25', 3, '0.1'), day('2026-11-30', '0.5', 1)]} />);
  const table = screen.getByRole('table', { name: 'Earnings per day, last 30 days' });
  const rows = within(table).getAllByRole('row').slice(1);
  assert.deepEqual(
    rows.map((r) => [within(r).getByRole('rowheader').textContent, ...within(r).getAllByRole('cell').map((c) => c.textContent)]),
    [
      ['2026-11-29', '1.25 HRTH', '3', '0.1 HRTH'],
      ['2026-11-30', '0.5 HRTH', '1', 'unknown'],
    ],
  );
});

test('a month without earnings says so plainly', () => {
  render(<EarningsChart days={[day('2026-11-30', '0', 0)]} />);
  assert.ok(screen.getByRole('figure', { name: 'Earned 0 HRTH in the last 30 days from 0 jobs.' }));
});
