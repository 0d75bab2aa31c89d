import '../../test/dom.ts';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { OverviewPage } from '../OverviewPage.tsx';
import { renderWithCore } from '../../test/render.ts';
import { marketCore } from '../../test/market-core.ts';
import * as fx from '../../test/market-fixtures.ts';
import { dayToSeconds, earningsChartData, electricityOver, netWei, sumWei } from './chart-data.ts';
import { formatToken, parseTokenAmount, weiToDecimalText } from '../market/format.ts';

afterEach(() => cleanup());

test('the chart data: days in order on local midnights, tokens as numbers, net only where electricity is known', () => {
  const days = [
    { day: '2026-11-29', earnedWei: fx.tokens('1.5'), gasWei: '0', jobs: 3, electricityWei: fx.tokens('0.25') },
    { day: '2026-11-28', earnedWei: '0', gasWei: '0', jobs: 0, electricityWei: null },
    { day: '2026-11-30', earnedWei: fx.tokens('0.75'), gasWei: '0', jobs: 2, electricityWei: null },
  ];
  const data = earningsChartData(days);
  assert.deepEqual(data.x, [dayToSeconds('2026-11-28'), dayToSeconds('2026-11-29'), dayToSeconds('2026-11-30')]);
  assert.equal(data.x[1]! - data.x[0]!, 86_400);
  assert.deepEqual(data.earned, [0, 1.5, 0.75]);
  assert.deepEqual(data.net, [null, 1.25, null]);
  assert.equal(data.hasNet, true);
  assert.equal(data.max, 1.5);
  assert.equal(earningsChartData(days.map((d) => ({ ...d, electricityWei: null }))).hasNet, false);
  assert.equal(earningsChartData([]).max, 0, 'an empty month still has a scale');
  assert.equal(sumWei([fx.tokens('0.1'), null, fx.tokens('0.2')]), fx.tokens('0.3'));
  // market:earnings sends days oldest first.
  const ordered = [days[1]!, days[0]!, days[2]!];
  assert.equal(electricityOver(ordered, 1), null);
  assert.equal(electricityOver(ordered, 2), fx.tokens('0.25'));
  assert.deepEqual(netWei(fx.tokens('1'), fx.tokens('1.5')), { wei: fx.tokens('0.5'), loss: true });
});

test('token amounts: exact parsing and formatting of wei', () => {
  assert.equal(parseTokenAmount('150'), 150n * 10n ** 18n);
  assert.equal(parseTokenAmount('0.000000000000000001'), 1n);
  assert.equal(parseTokenAmount('1e3'), null);
  assert.equal(parseTokenAmount('-1'), null);
  assert.equal(weiToDecimalText(fx.tokens('150.5')), '150.5');
  assert.equal(weiToDecimalText('0'), '0');
  assert.equal(formatToken(fx.tokens('1234.56789')), '1,234.5678 HRTH');
});

test('the Overview shows what Hearth is doing, the current job, earnings and the market figures', async () => {
  const status = fx.marketStatus({
    state: 'working',
    reason: 'Running job 1201 for 0x7099…79C8: pays 0.0031 HRTH per unit.',
    currentJob: { key: 'k', jobId: '1201', model: 'paddleocr-det', units: 48, state: 'running', progress: 0.42, startedAt: Date.now() - 90_000 },
  });
  const core = marketCore({ 'market:status': () => ({ ok: true, value: status }) });
  const view = renderWithCore(<OverviewPage />, core);
  try {
    const hero = await waitFor(() => screen.getByTestId('market-hero'));
    assert.match(hero.textContent ?? '', /Earning now/);
    assert.equal(within(hero).getByTestId('market-reason').textContent, status.reason);
    const job = within(hero).getByTestId('current-job');
    assert.match(job.textContent ?? '', /paddleocr-det · job 1201 · 48 units · running · for 1 min/);
    assert.equal(within(job).getByRole('progressbar').getAttribute('aria-valuenow'), '42');
    assert.equal(screen.queryByTestId('onboarding'), null, 'no onboarding once everything is done');
    assert.equal(screen.queryByTestId('onboarding-resume'), null);

    const summary = fx.earningsSummary();
    await waitFor(() => assert.equal(screen.getByTestId('earned-today').textContent, formatToken(summary.todayWei)));
    assert.equal(screen.getByTestId('earned-week').textContent, formatToken(summary.weekWei));
    assert.equal(screen.getByTestId('earned-month').textContent, formatToken(summary.monthWei));
    const card = screen.getByTestId('earnings-card');
    assert.match(card.textContent ?? '', new RegExp(`after ${formatToken(summary.electricityMonthWei!).replace('.', '\\.')} electricity`));
    assert.equal(screen.getByTestId('market-price').textContent, '0.0031 HRTH');
    assert.match(card.textContent ?? '', /your minimum 0\.002 HRTH · Change/);
    assert.equal(within(card).getByText('Change').getAttribute('href'), '#/settings/market');
    assert.equal(screen.getByTestId('jobs-paid').textContent, '86');
    assert.equal(screen.getByTestId('pending').textContent, '0.744 HRTH');
    assert.ok(screen.getByTestId('reconciliation-ok'));
    // The chart degrades to its text alternative where there is no canvas (jsdom).
    const chart = screen.getByTestId('earnings-chart');
    assert.equal(chart.querySelectorAll('tbody tr').length, 30);
    assert.equal(chart.querySelector('canvas'), null);

    // Core's event moves the headline on.
    await core.push('market:status', fx.marketStatus({ state: 'off', reason: 'Paid work is off in Settings.' }));
    assert.match(screen.getByTestId('market-hero').textContent ?? '', /Paid work is turned off/);
    assert.equal(screen.queryByTestId('current-job'), null);
  } finally {
    view.stop();
  }
});

test('a reconciliation mismatch is a visible warning with both amounts, and can be checked again', async () => {
  const bad = fx.marketStatus({ reconciliation: { at: Date.now() - 60_000, ok: false, ledgerWei: fx.tokens('41.2875'), chainWei: fx.tokens('40.9'), message: 'Job 1187 is paid in the ledger but has no JobSettled event.' } });
  const core = marketCore({ 'market:status': () => ({ ok: true, value: bad }), 'market:reconcile': () => ({ ok: true, value: fx.marketStatus() }) });
  const view = renderWithCore(<OverviewPage />, core);
  try {
    const warning = await waitFor(() => screen.getByTestId('reconciliation-warning'));
    assert.match(warning.textContent ?? '', /ledger says 41\.2875 HRTH; the chain's settlements add up to 40\.9 HRTH\. Job 1187 is paid/);
    assert.ok(within(warning).getByRole('alert'));
    const again = [...warning.querySelectorAll('button')].find((b) => b.textContent === 'Check again')!;
    await act(async () => again.click());
    assert.equal(core.sent('market:reconcile').length, 1);
    await waitFor(() => assert.equal(screen.queryByTestId('reconciliation-warning'), null));
    assert.ok(screen.getByTestId('reconciliation-ok'));
  } finally {
    view.stop();
  }
});

test('without a market (this engine has none yet) the Overview says so and keeps working', async () => {
  const core = marketCore({ 'market:status': () => ({ ok: false, code: 'market_unavailable', message: 'The job market is not part of this engine yet.' }) });
  const view = renderWithCore(<OverviewPage />, core);
  try {
    await waitFor(() => assert.match(document.body.textContent ?? '', /The job market is not part of this engine yet\./));
    assert.equal(screen.queryByTestId('earnings-card'), null);
  } finally {
    view.stop();
  }
});
