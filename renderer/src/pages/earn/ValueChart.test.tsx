import '../../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, render, screen, within } from '@testing-library/react';
import { ValueChart } from './ValueChart.tsx';
import * as fx from '../../test/positions-fixtures.ts';

afterEach(() => cleanup());

test('the value chart is named by its summary, with one table row a day and the range picker named', () => {
  const samples = fx.history(7);
  render(<ValueChart samples={samples} error={null} days={7} onDays={() => undefined} tokenSymbol="HRTH" nativeSymbol="ETH" onRetry={() => undefined} />);
  assert.ok(screen.getByRole('region', { name: 'Value over time' }));
  assert.ok(screen.getByRole('figure', { name: /^Total value went from [\d,.]+ HRTH to [\d,.]+ HRTH over the last 7 days \(7 samples\)\.$/ }));
  const table = screen.getByRole('table', { name: 'Value at the end of each day, last 7 days' });
  assert.equal(within(table).getAllByRole('row').length, 1 + 7);
  assert.deepEqual(
    within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent),
    ['Day', 'Total', 'Staking', 'Lending', 'Fee pool', 'Liquidity'],
  );
  const picker = screen.getByRole('group', { name: 'Chart range' });
  assert.equal(within(picker).getByRole('button', { name: '7 days' }).getAttribute('aria-pressed'), 'true');
});
