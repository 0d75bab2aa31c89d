import '../../test/dom.ts';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { EarnPage } from '../EarnPage.tsx';
import { renderWithCore } from '../../test/render.ts';
import { positionsCore } from '../../test/positions-core.ts';
import * as fx from '../../test/positions-fixtures.ts';
import { walletStatus } from '../../test/market-fixtures.ts';
import { HearthError } from '../../../../common/errors.ts';

afterEach(() => cleanup());

const dialog = () => screen.getByRole('dialog');
const inDialog = () => within(dialog());
// A real click focuses the button; jsdom's click() does not, so focus it first.
const click = async (el: HTMLElement) =>
  act(async () => {
    el.focus();
    el.click();
  });
/** Compares by identity: a failing assert.equal on two DOM nodes makes node inspect all of jsdom. */
function assertFocused(el: Element, message: string) {
  assert.ok(document.activeElement === el, `${message} (focus is on ${document.activeElement?.outerHTML.slice(0, 80) ?? 'nothing'})`);
}

async function openAction(core: ReturnType<typeof positionsCore>, name: string) {
  const view = renderWithCore(<EarnPage />, core);
  await waitFor(() => screen.getByTestId('earn-summary'));
  await click(screen.getByRole('button', { name }));
  await waitFor(() => dialog());
  return view;
}

function type(label: string | RegExp, value: string) {
  fireEvent.change(inDialog().getByLabelText(label), { target: { value } });
}

test('lend: preview shows steps, fees, changes and risks; confirm sends it, shows the hashes and the new figures', async () => {
  const core = positionsCore();
  const view = await openAction(core, 'Lend');
  try {
    assert.equal(dialog().getAttribute('aria-modal'), 'true');
    assertFocused(inDialog().getByLabelText('Amount (HRTH)'), 'focus starts in the amount');
    assert.match(dialog().textContent ?? '', /In your wallet: 812\.5 HRTH\./);
    type('Amount (HRTH)', '50');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    const preview = await waitFor(() => screen.getByTestId('action-preview'));
    assert.deepEqual(core.sent('positions:preview'), [{ kind: 'lend', amount: '50' }]);
    assert.equal(core.count('positions:act'), 0, 'previewing sends nothing');
    assert.match(preview.textContent ?? '', /Supplied200\.1234 HRTH→ 250\.1234 HRTH/);
    assert.match(preview.textContent ?? '', /these 2 transactions.*approve/);
    assert.match(preview.textContent ?? '', /Network feesabout 0\.0001432 ETH \(at most 0\.0002864 ETH\)/);
    assert.match(screen.getByTestId('preview-risks').textContent ?? '', /Borrowers pay the interest/);
    assert.equal(screen.queryByTestId('preview-minimum'), null, 'lending moves no price');

    const confirm = inDialog().getByRole('button', { name: 'Confirm' });
    assert.equal((confirm as HTMLButtonElement).disabled, false);
    assertFocused(confirm, 'focus goes to the next thing to do');
    await click(confirm);
    await waitFor(() => screen.getByTestId('action-done'));
    assert.deepEqual(core.sent('positions:act'), [{ kind: 'lend', amount: '50' }]);
    const hashes = within(screen.getByTestId('action-done')).getByRole('list', { name: 'Transaction hashes' });
    assert.equal(hashes.querySelectorAll('li').length, 2);
    assert.equal(hashes.querySelector('code')?.getAttribute('title'), '0x' + '1f'.repeat(32));
    // The page shows the view the action returned, and reads the history again.
    assert.match(screen.getByTestId('earn-read-at').textContent ?? '', /block 4,520/);
    await waitFor(() => assert.ok(core.sent('positions:history').length >= 2));

    await click(inDialog().getByRole('button', { name: 'Done' }));
    assert.equal(screen.queryByRole('dialog'), null);
  } finally {
    view.stop();
  }
});

test('a preview with a problem shows it and keeps Confirm disabled; nothing is sent', async () => {
  const core = positionsCore({ 'positions:preview': (action) => fx.preview(action, { problem: 'You have 812.5 HRTH; lending 5000 needs 4187.5 more.' }) });
  const view = await openAction(core, 'Lend');
  try {
    type('Amount (HRTH)', '5000');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('preview-problem'));
    assert.equal(screen.getByTestId('preview-problem').textContent, 'You have 812.5 HRTH; lending 5000 needs 4187.5 more.');
    const confirm = inDialog().getByRole<HTMLButtonElement>('button', { name: 'Confirm' });
    assert.equal(confirm.disabled, true);
    assertFocused(inDialog().getByRole('button', { name: 'Back' }), 'focus');
    await click(confirm);
    assert.equal(core.count('positions:act'), 0);
    // Back to the form keeps what was typed.
    await click(inDialog().getByRole('button', { name: 'Back' }));
    assert.equal(inDialog().getByLabelText<HTMLInputElement>('Amount (HRTH)').value, '5000');
  } finally {
    view.stop();
  }
});

test('an act that fails shows core\'s message and changes nothing else', async () => {
  const core = positionsCore({
    'positions:act': () => {
      throw new HearthError('tx_reverted', 'The vault refused the deposit: it is paused by its owner.');
    },
  });
  const view = await openAction(core, 'Join the fee pool');
  try {
    type('Amount (HRTH)', '10');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('action-preview'));
    await click(inDialog().getByRole('button', { name: 'Confirm' }));
    await waitFor(() => screen.getByTestId('action-error'));
    assert.match(screen.getByTestId('action-error').textContent ?? '', /Join the fee pool did not go through.*The vault refused the deposit: it is paused by its owner\./);
    assert.equal(screen.queryByTestId('action-done'), null);
    assert.ok(screen.getByTestId('action-preview'), 'the preview stays, to try again or go back');
    assert.equal(inDialog().getByRole<HTMLButtonElement>('button', { name: 'Confirm' }).disabled, false);
    assert.match(screen.getByTestId('earn-read-at').textContent ?? '', /block 4,512/, 'the page keeps the figures it had');
    assert.equal(screen.getByTestId('pool-value').textContent, '100.75 HRTH');
    assert.equal(core.sent('positions:history').length, 1, 'no re-read for an action that did not happen');
  } finally {
    view.stop();
  }
});

test('amounts are checked before any preview: empty, negative, not a number, zero', async () => {
  const core = positionsCore();
  const view = await openAction(core, 'Stake');
  try {
    const field = () => inDialog().getByLabelText('Amount (HRTH)');
    const preview = async () => click(inDialog().getByRole('button', { name: 'Preview' }));
    await preview();
    assert.equal(inDialog().getByRole('alert').textContent, 'Enter an amount.');
    assert.equal(field().getAttribute('aria-invalid'), 'true');
    type('Amount (HRTH)', '-5');
    await preview();
    assert.equal(inDialog().getByRole('alert').textContent, 'Enter an amount above zero: it cannot be negative.');
    type('Amount (HRTH)', '1,5');
    await preview();
    assert.match(inDialog().getByRole('alert').textContent ?? '', /^Enter a number such as 1\.5/);
    type('Amount (HRTH)', '0.000');
    await preview();
    assert.equal(inDialog().getByRole('alert').textContent, 'Enter an amount above zero.');
    assert.equal(core.count('positions:preview'), 0, 'nothing was asked of core');
    type('Amount (HRTH)', '25');
    await preview();
    await waitFor(() => screen.getByTestId('action-preview'));
    assert.deepEqual(core.sent('positions:preview'), [{ kind: 'stake', classLabel: 'gpu-8gb', amount: '25' }]);
  } finally {
    view.stop();
  }
});

test('the dialog keeps focus inside, closes with Escape and gives focus back to the button that opened it', async () => {
  const core = positionsCore();
  const view = await openAction(core, 'Repay');
  try {
    const opener = screen.getByRole('button', { name: 'Repay' });
    const amount = inDialog().getByLabelText('Amount (HRTH)');
    assertFocused(amount, 'focus');
    assert.equal(document.querySelector('.app, body > div:not(.dialog-backdrop)')?.hasAttribute('inert'), true, 'the page behind is inert');
    // Tab from the last control wraps to the first, Shift+Tab from the first to the last.
    const buttons = [...dialog().querySelectorAll<HTMLElement>('button:not([disabled]), input, select')];
    const first = buttons[0]!;
    const last = buttons.at(-1)!;
    assert.equal(first.getAttribute('aria-label'), 'Close');
    assert.equal(last.textContent, 'Preview');
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    assertFocused(first, 'Tab wraps to the first');
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    assertFocused(last, 'Shift+Tab wraps to the last');
    // "All" fills the word core understands.
    await click(inDialog().getByRole('button', { name: 'All of it' }));
    assert.equal((amount as HTMLInputElement).value, 'all');

    fireEvent.keyDown(dialog(), { key: 'Escape' });
    assert.equal(screen.queryByRole('dialog'), null);
    assertFocused(opener, 'focus goes back to the opener');
    assert.equal(document.querySelector('[inert]'), null, 'the page is usable again');
  } finally {
    view.stop();
  }
});

test('price-moving actions: slippage is chosen, sent, and the preview shows the minimum received', async () => {
  const core = positionsCore({ 'positions:preview': (action) => fx.preview(action, { minimumReceived: '0.0983 ETH', changes: [{ label: 'Wallet ETH', before: '9.9712 ETH', after: '10.0697 ETH' }] }) });
  const view = await openAction(core, 'Swap');
  try {
    assert.equal(inDialog().getByLabelText<HTMLSelectElement>('Largest price move accepted (slippage)').value, '50');
    fireEvent.change(inDialog().getByLabelText('Direction'), { target: { value: 'eth-to-token' } });
    assert.ok(inDialog().getByLabelText('Amount (ETH)'), 'buying with ETH asks for ETH');
    fireEvent.change(inDialog().getByLabelText('Direction'), { target: { value: 'token-to-eth' } });
    type('Amount (HRTH)', '40');
    fireEvent.change(inDialog().getByLabelText('Largest price move accepted (slippage)'), { target: { value: '100' } });
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('preview-minimum'));
    assert.deepEqual(core.sent('positions:preview'), [{ kind: 'swap', direction: 'token-to-eth', amount: '40', slippageBps: 100 }]);
    assert.match(screen.getByTestId('preview-minimum').textContent ?? '', /^0\.0983 ETH \(slippage 1 %: below this the transaction is cancelled\)$/);
  } finally {
    view.stop();
  }
});

test('core\'s own floor sentence names the slippage once', async () => {
  const floor = 'The deposit goes through only if it takes at least 995 HRTH and 0.0995 ETH (slippage 0.5 %).';
  const core = positionsCore({ 'positions:preview': (action) => fx.preview(action, action.kind === 'add-liquidity' ? { minimumReceived: floor } : {}) });
  const view = await openAction(core, 'Add liquidity');
  try {
    type('Amount (HRTH)', '1000');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('preview-minimum'));
    const text = screen.getByTestId('preview-minimum').textContent ?? '';
    assert.equal(text, `${floor} Below this the transaction is cancelled.`);
    assert.equal(text.match(/slippage/g)?.length, 1);
  } finally {
    view.stop();
  }
});

test('leaving the fee pool takes "all", as core does', async () => {
  const poolCore = positionsCore();
  const pool = await openAction(poolCore, 'Leave the fee pool');
  try {
    await click(inDialog().getByRole('button', { name: 'All of it' }));
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('action-preview'));
    assert.deepEqual(poolCore.sent('positions:preview'), [{ kind: 'pool-redeem', amount: 'all' }]);
  } finally {
    pool.stop();
  }
});

test('remove liquidity takes a percentage, auto-repay a share; both checked; a class row opens its own class', async () => {
  const core = positionsCore();
  const view = await openAction(core, 'Remove liquidity');
  try {
    const label = 'Share of your liquidity to take out (%)';
    type(label, '150');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    assert.equal(inDialog().getByRole('alert').textContent, 'Enter a percentage of your share from 0.01 to 100.');
    type(label, '25');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('action-preview'));
    assert.deepEqual(core.sent('positions:preview').at(-1), { kind: 'remove-liquidity', percent: 25, slippageBps: 50 });
    fireEvent.keyDown(dialog(), { key: 'Escape' });

    await click(screen.getByRole('button', { name: 'Auto-repay' }));
    const share = inDialog().getByLabelText<HTMLInputElement>('Share of each payment that repays the debt (%)');
    assert.equal(share.value, '25', 'starts from the current setting');
    type('Share of each payment that repays the debt (%)', '40');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('action-preview'));
    assert.deepEqual(core.sent('positions:preview').at(-1), { kind: 'set-auto-repay', bps: 4000 });
    fireEvent.keyDown(dialog(), { key: 'Escape' });

    await click(screen.getByRole('button', { name: 'Unbond from gpu-8gb' }));
    assert.equal(inDialog().getByLabelText<HTMLSelectElement>('Device class').value, 'gpu-8gb');
    assert.match(dialog().textContent ?? '', /Active in gpu-8gb: 150 HRTH, of which 12\.5 HRTH is held by open jobs\./);
    await click(inDialog().getByRole('button', { name: /^Max: fill in / }));
    assert.equal(inDialog().getByLabelText<HTMLInputElement>('Amount (HRTH)').value, '137.5', 'Max leaves what open jobs hold');
  } finally {
    view.stop();
  }
});

test('a locked wallet can preview but not confirm, and can unlock right in the dialog', async () => {
  const core = positionsCore({ 'wallet:status': () => walletStatus({ locked: true }) });
  const view = await openAction(core, 'Lend');
  try {
    type('Amount (HRTH)', '5');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('action-preview'));
    assert.equal(inDialog().getByRole<HTMLButtonElement>('button', { name: 'Confirm' }).disabled, true);
    assert.match(dialog().textContent ?? '', /Unlock the wallet to confirm/);
    assert.ok(inDialog().getByLabelText('Wallet password'));
  } finally {
    view.stop();
  }
});

test('a preview core refuses shows its message on the form', async () => {
  const core = positionsCore({
    'positions:preview': () => {
      throw new HearthError('positions_unavailable', 'The lending vault did not answer; try again in a moment.');
    },
  });
  const view = await openAction(core, 'Lend');
  try {
    type('Amount (HRTH)', '5');
    await click(inDialog().getByRole('button', { name: 'Preview' }));
    await waitFor(() => screen.getByTestId('action-error'));
    assert.match(screen.getByTestId('action-error').textContent ?? '', /could not work out what this would do.*did not answer/);
    assert.ok(inDialog().getByLabelText('Amount (HRTH)'), 'still on the form');
  } finally {
    view.stop();
  }
});
