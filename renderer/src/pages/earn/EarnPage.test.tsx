import '../../test/dom.ts';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { EarnPage } from '../EarnPage.tsx';
import { renderWithCore } from '../../test/render.ts';
import { positionsCore } from '../../test/positions-core.ts';
import * as fx from '../../test/positions-fixtures.ts';
import { walletStatus } from '../../test/market-fixtures.ts';
import { HearthError } from '../../../../common/errors.ts';

afterEach(() => cleanup());

const text = (testId: string) => screen.getByTestId(testId).textContent ?? '';

test('a full view: the summary, every card with its figures, exact wei in the tooltips, and the chart with its table', async () => {
  const core = positionsCore();
  const view = renderWithCore(<EarnPage />, core);
  try {
    await waitFor(() => screen.getByTestId('earn-summary'));
    assert.equal(text('total-token'), '1,483.37 HRTH');
    assert.equal(screen.getByTestId('total-token').getAttribute('title'), '1483.373456789 HRTH (1,483,373,456,789,000,000,000 wei)');
    assert.equal(text('total-eth'), '3.7084 ETH');
    assert.equal(text('price'), '0.0025 ETH');
    assert.equal(text('wallet-token'), '812.5 HRTH');
    assert.equal(text('wallet-eth'), '9.9712 ETH');
    assert.match(text('earn-read-at'), /block 4,512/);

    // Staking: per class active / held by open jobs / unbonding / release, rewards and slashes.
    const staking = screen.getByTestId('staking-card');
    const rows = within(staking).getByTestId('staking-classes').querySelectorAll('tbody tr');
    assert.equal(rows.length, 2);
    assert.match(rows[0]!.textContent ?? '', /^gpu-8gbminimum 100 HRTH150 HRTH12\.5 HRTH20 HRTHin 6 d 3 h/);
    assert.match(rows[1]!.textContent ?? '', /nothing unbonding/);
    assert.equal(text('staking-total'), '170 HRTH');
    assert.equal(text('staking-rewards'), '3.2187 HRTH', 'trimmed, never rounded up');
    assert.equal(screen.getByTestId('staking-rewards').getAttribute('data-wei'), fx.tokens('3.21875'));
    assert.match(staking.textContent ?? '', /1 time since the deployment/);
    assert.match(staking.textContent ?? '', /Unbonding delay.*7 days/);

    // Lending: figures, rates, utilization, the health gauge with words, the liquidation level.
    const lending = screen.getByTestId('lending-card');
    assert.equal(text('lending-supplied'), '200.1234 HRTH');
    assert.equal(text('lending-borrowed'), '60 HRTH');
    assert.equal(text('lending-borrowable'), '24.4 HRTH');
    assert.equal(text('supply-apr'), '4.17 %');
    assert.equal(text('borrow-apr'), '8.42 %');
    assert.equal(text('auto-repay'), '25 %');
    const meter = within(lending).getByRole('meter', { name: 'Health factor' });
    assert.equal(meter.getAttribute('aria-valuetext'), '1.84, safe');
    assert.equal(screen.getByTestId('health').getAttribute('data-level'), 'safe');
    assert.match(text('health'), /Safe/, 'the level is said in words, not only by colour');
    assert.match(lending.textContent ?? '', /If your stake \(it is 170 HRTH now\) falls below 81\.5 HRTH .* keep a 5 % bonus/);
    assert.equal(within(lending).getByRole('progressbar', { name: 'Vault utilization' }).getAttribute('aria-valuenow'), '55');

    // Fee pool: value, shares, APY with its basis.
    assert.equal(text('pool-value'), '100.75 HRTH');
    // Shares in the pool's own 24 decimals, not read as 18 (which would say 95,200,000).
    assert.equal(text('pool-shares'), '95.2 shares');
    assert.match(screen.getByTestId('pool-shares').getAttribute('title') ?? '', /^95\.2 shares \(95,200,000,000,000,000,000,000,000 base units\)$/);
    assert.equal(text('pool-apy'), '6.34 %');
    assert.equal(text('pool-apy-basis'), fx.positionsView().feePool!.apyBasis);
    assert.equal(text('pool-fees'), '4.12 HRTH');

    // Liquidity: share, underlying amounts, fees, value against holding in words.
    assert.equal(text('lp-share'), '10.000 %');
    assert.equal(text('lp-token'), '100 HRTH');
    assert.equal(text('lp-eth'), '0.25 ETH');
    assert.equal(text('lp-fees'), '0.0031 ETH');
    assert.match(text('lp-versus-hold'), /^Worth 0\.0042 ETH less \(0\.83 %\) than holding .* impermanent loss/);

    // The chart's text alternative: a sentence and a table of one row a day.
    assert.match(text('chart-summary'), /^Total value went from 920 HRTH to 1,\d{3}\.\d+ HRTH over the last 30 days \(30 samples\)\.$/);
    assert.equal(screen.getByTestId('chart-table').querySelectorAll('tbody tr').length, 30);
    assert.deepEqual(core.sent('positions:history')[0], { days: 30 });
    const week = screen.getByRole('button', { name: '7 days' });
    assert.equal(week.getAttribute('aria-pressed'), 'false');
    await act(async () => week.click());
    await waitFor(() => assert.deepEqual(core.sent('positions:history').at(-1), { days: 7 }));
    assert.equal(week.getAttribute('aria-pressed'), 'true');
    // Every card offers its actions, each a named button.
    for (const name of ['Stake', 'Claim rewards', 'Lend', 'Take out of lending', 'Borrow to stake', 'Repay', 'Auto-repay', 'Join the fee pool', 'Leave the fee pool', 'Add liquidity', 'Remove liquidity', 'Swap']) {
      assert.ok(screen.getByRole('button', { name }), name);
    }
  } finally {
    view.stop();
  }
});

test('kinds this network lacks show core\'s reason instead of a blank card; no pair means no ETH figures', async () => {
  const core = positionsCore({ 'positions:get': () => fx.stakingOnlyView() });
  const view = renderWithCore(<EarnPage />, core);
  try {
    await waitFor(() => screen.getByTestId('earn-summary'));
    assert.ok(screen.getByTestId('staking-card'));
    assert.equal(screen.getByTestId('lending-card').getAttribute('data-state'), 'missing');
    assert.match(text('lending-card-missing'), /Not available: This network has no lending vault in its addresses file\./);
    assert.match(text('feepool-card-missing'), /no fee pool/);
    assert.match(text('liquidity-card-missing'), /no HRTH\/ETH pair/);
    assert.equal(screen.queryByRole('button', { name: 'Lend' }), null, 'no actions for a missing kind');
    assert.match(text('earn-summary'), /No price/);
    assert.match(text('earn-summary'), /No ETH price without a HRTH\/ETH pair/);
    assert.equal(screen.queryByTestId('total-eth'), null);
  } finally {
    view.stop();
  }
});

test('staking null too, and an account that is not registered', async () => {
  const core = positionsCore({
    'positions:get': () => ({ ...fx.stakingOnlyView(), staking: { ...fx.positionsView().staking!, registered: false }, missing: [] }),
  });
  const view = renderWithCore(<EarnPage />, core);
  try {
    await waitFor(() => screen.getByTestId('staking-unregistered'));
    // No reason from core for the missing kinds: a plain sentence, still not blank.
    assert.match(text('lending-card-missing'), /Hearth has nothing to show here on this network\./);
  } finally {
    view.stop();
  }
  cleanup();
  const none = positionsCore({ 'positions:get': () => ({ ...fx.stakingOnlyView(), staking: null, missing: [{ kind: 'staking', reason: 'The staking contract is not deployed here.' }] }) });
  const again = renderWithCore(<EarnPage />, none);
  try {
    await waitFor(() => screen.getByTestId('staking-card-missing'));
    assert.match(text('staking-card-missing'), /The staking contract is not deployed here\./);
  } finally {
    again.stop();
  }
});

test('no wallet: one clear state with what to do', async () => {
  const core = positionsCore({ 'positions:get': () => fx.noWalletView(), 'wallet:status': () => walletStatus({ exists: false, locked: false, accounts: [], selected: null }) });
  const view = renderWithCore(<EarnPage />, core);
  try {
    await waitFor(() => screen.getByTestId('earn-unavailable'));
    assert.match(text('earn-unavailable'), /Set up a wallet to start earning/);
    assert.match(text('earn-unavailable-reason'), /There is no wallet yet/);
    assert.equal(screen.getByRole('link', { name: 'Go to the Wallet page' }).getAttribute('href'), '#/wallet');
    assert.equal(screen.queryByTestId('staking-card'), null);
  } finally {
    view.stop();
  }
});

test('network down: the error and what to do; a later failure keeps the figures and says they may be stale', async () => {
  const down = positionsCore({
    'positions:get': () => {
      throw new HearthError('chain_unavailable', 'Hearth cannot reach the devnet at http://127.0.0.1:8545.');
    },
  });
  const view = renderWithCore(<EarnPage />, down);
  try {
    await waitFor(() => assert.match(document.body.textContent ?? '', /Hearth could not read your positions/));
    assert.match(document.body.textContent ?? '', /cannot reach the devnet at http:\/\/127\.0\.0\.1:8545/);
    assert.ok(screen.getByRole('button', { name: 'Try again' }));
  } finally {
    view.stop();
  }
  cleanup();

  let fail = false;
  const flaky = positionsCore({
    'positions:get': () => {
      if (fail) throw new HearthError('chain_unavailable', 'The network stopped answering.');
      return fx.positionsView();
    },
  });
  const second = renderWithCore(<EarnPage />, flaky);
  try {
    await waitFor(() => screen.getByTestId('earn-summary'));
    fail = true;
    screen.getByRole('button', { name: 'Refresh' }).click();
    await waitFor(() => screen.getByTestId('earn-stale'));
    assert.match(text('earn-stale'), /The network stopped answering\. Shown: block 4,512\./);
    assert.equal(text('total-token'), '1,483.37 HRTH', 'the last figures stay');
  } finally {
    second.stop();
  }
});

test('a locked wallet: a banner with the unlock form; the page still shows the figures', async () => {
  const core = positionsCore({ 'wallet:status': () => walletStatus({ locked: true }) });
  const view = renderWithCore(<EarnPage />, core);
  try {
    await waitFor(() => screen.getByTestId('earn-locked'));
    assert.match(text('earn-locked'), /Your wallet is locked/);
    assert.ok(within(screen.getByTestId('earn-locked')).getByLabelText('Wallet password'));
    assert.ok(screen.getByTestId('staking-card'));
  } finally {
    view.stop();
  }
});

test('a debt close to liquidation says so in words as well as colour', async () => {
  const base = fx.positionsView();
  const core = positionsCore({ 'positions:get': () => ({ ...base, lending: { ...base.lending!, healthFactor: 0.94, liquidationStakeWei: fx.tokens('180') } }) });
  const view = renderWithCore(<EarnPage />, core);
  try {
    await waitFor(() => screen.getByTestId('health'));
    assert.equal(screen.getByTestId('health').getAttribute('data-level'), 'liquidatable');
    assert.match(text('health'), /Can be liquidated/);
    assert.equal(screen.getByRole('meter', { name: 'Health factor' }).getAttribute('aria-valuetext'), '0.94, can be liquidated');
    assert.match(text('lending-card'), /Your stake \(it is 170 HRTH now\) is below 180 HRTH: a liquidator can repay your debt out of your stake now/);
  } finally {
    view.stop();
  }
});

test('no debt: the gauge is empty and says nothing can be liquidated', async () => {
  const base = fx.positionsView();
  const core = positionsCore({ 'positions:get': () => ({ ...base, lending: { ...base.lending!, borrowedWei: '0', healthFactor: null, liquidationStakeWei: null } }) });
  const view = renderWithCore(<EarnPage />, core);
  try {
    await waitFor(() => screen.getByTestId('health'));
    assert.match(text('health'), /No debt/);
    assert.match(text('lending-card'), /You have no debt, so nothing can be liquidated/);
  } finally {
    view.stop();
  }
});
