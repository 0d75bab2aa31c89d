import '../../../test/dom.ts';
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { OverviewPage } from '../../OverviewPage.tsx';
import { renderWithCore } from '../../../test/render.ts';
import { marketCore } from '../../../test/market-core.ts';
import * as fx from '../../../test/market-fixtures.ts';

beforeEach(() => window.sessionStorage.clear());
afterEach(() => cleanup());

function button(name: string | RegExp, within_: HTMLElement = document.body): HTMLButtonElement {
  const found = [...within_.querySelectorAll('button')].find((b) => (typeof name === 'string' ? b.textContent === name : name.test(b.textContent ?? '')));
  assert.ok(found, `a button named ${String(name)}`);
  return found;
}

test('first run: each step can be put off, then resumed from "Finish setting up"', async () => {
  const core = marketCore({ 'market:status': () => ({ ok: true, value: fx.firstRunStatus() }) });
  const view = renderWithCore(<OverviewPage />, core);
  try {
    const card = await waitFor(() => screen.getByTestId('onboarding'));
    const wallet = card.querySelector<HTMLElement>('[data-step="wallet"]')!;
    assert.equal(wallet.getAttribute('aria-current'), 'step');
    const link = within(wallet).getByText('Create or import a wallet').closest('a');
    assert.equal(link?.getAttribute('href'), '#/wallet');

    await act(async () => button('Later', wallet).click());
    assert.equal(wallet.dataset['state'], 'skipped');
    const provider = await waitFor(() => {
      const el = card.querySelector<HTMLElement>('[data-step="provider"][aria-current="step"]');
      assert.ok(el);
      return el;
    });
    await waitFor(() => within(provider).getByTestId('register-preview'));
    await act(async () => button('Later', provider).click());
    await waitFor(() => assert.ok(core.sent('settings:update').some((p) => JSON.stringify(p) === JSON.stringify({ market: { onboardingProvider: 'skipped' } }))));

    const rules = await waitFor(() => {
      const el = card.querySelector<HTMLElement>('[data-step="rules"][aria-current="step"]');
      assert.ok(el);
      return el;
    });
    // The devices and idle rules are there, each with its sentence.
    await waitFor(() => within(rules).getByText('NVIDIA GeForce RTX 3070'));
    assert.ok(within(rules).getByText(/mining rigs nobody sits at/));
    await act(async () => button('Later', rules).click());

    const resume = await waitFor(() => screen.getByTestId('onboarding-resume'));
    assert.equal(screen.queryByTestId('onboarding'), null, 'the card is gone while everything is put off');
    await act(async () => button('Finish setting up', resume).click());
    await waitFor(() => screen.getByTestId('onboarding'));
    const last = core.sent('settings:update').at(-1);
    assert.deepEqual(last, { market: { onboardingProvider: 'todo', onboardingRules: 'todo' } });
    assert.equal(screen.getByTestId('onboarding').querySelector('[aria-current="step"]')?.getAttribute('data-step'), 'wallet');
  } finally {
    view.stop();
  }
});

const needsProvider = () => fx.firstRunStatus({ state: 'unregistered', reason: 'Register this machine to take jobs.', address: fx.ADDRESS, onboarding: { wallet: 'done', provider: 'todo', rules: 'todo' } });

test('register: preview with the suggested stake, balance, gas and steps → confirm → registered', async () => {
  const core = marketCore({
    'market:status': () => ({ ok: true, value: needsProvider() }),
    'market:register': () => ({ ok: true, value: fx.marketStatus({ onboarding: { wallet: 'done', provider: 'done', rules: 'todo' } }) }),
  });
  const view = renderWithCore(<OverviewPage />, core);
  try {
    const step = await waitFor(() => screen.getByTestId('register-step'));
    // The suggested class is picked, each class shows its minimum stake and price.
    const radios = step.querySelectorAll<HTMLInputElement>('input[type="radio"]');
    assert.equal(radios.length, 2);
    assert.ok(radios[0]!.checked);
    assert.match(step.textContent ?? '', /at least 100 HRTH stake · pays 0\.0031 HRTH per unit now/);
    // The amount is filled from the preview's suggestion.
    const amount = await waitFor(() => {
      const input = screen.getByLabelText<HTMLInputElement>('Stake (HRTH)');
      assert.equal(input.value, '150');
      return input;
    });
    assert.deepEqual(core.sent('market:preview-register')[0], { classLabel: 'gpu-8gb', stake: '100' });
    const preview = screen.getByTestId('register-preview');
    assert.match(preview.textContent ?? '', /Your balance1,000 HRTH/);
    assert.match(preview.textContent ?? '', /Estimated fees0\.000412 ETH/);
    assert.equal(preview.querySelectorAll('ol li').length, 3);

    // Below the class minimum: refused before anything is sent.
    fireEvent.change(amount, { target: { value: '50' } });
    assert.match(step.textContent ?? '', /This class needs at least 100 HRTH/);
    assert.ok(button(/^Register and stake/, step).disabled);
    fireEvent.change(amount, { target: { value: '200' } });
    await waitFor(() => assert.deepEqual(core.sent('market:preview-register').at(-1), { classLabel: 'gpu-8gb', stake: '200' }));

    await act(async () => button('Register and stake 200 HRTH', step).click());
    assert.deepEqual(core.sent('market:register'), [{ classLabel: 'gpu-8gb', stake: '200' }]);
    await waitFor(() => assert.equal(screen.getByTestId('onboarding').querySelector('[aria-current="step"]')?.getAttribute('data-step'), 'rules'));
    assert.equal(screen.getByTestId('onboarding').querySelector('[data-step="provider"]')?.getAttribute('data-state'), 'done');
  } finally {
    view.stop();
  }
});

test('register: an error says what to do, and offers test funds on the devnet', async () => {
  const core = marketCore({
    'market:status': () => ({ ok: true, value: needsProvider() }),
    'market:register': () => ({ ok: false, code: 'insufficient_funds', message: 'Staking 150 HRTH needs 150 HRTH; this wallet has 20.' }),
    'wallet:get-test-funds': () => ({ ok: true, value: [] }),
  });
  const view = renderWithCore(<OverviewPage />, core);
  try {
    const step = await waitFor(() => screen.getByTestId('register-step'));
    await waitFor(() => assert.equal(button('Register and stake 150 HRTH', step).disabled, false));
    await act(async () => button('Register and stake 150 HRTH', step).click());
    const alert = await waitFor(() => within(step).getByRole('alert'));
    assert.match(alert.textContent ?? '', /Registering did not go through/);
    assert.match(alert.textContent ?? '', /this wallet has 20\. On this test network you can get free test funds, then try again\./);
    await act(async () => button('Get test funds', alert).click());
    assert.equal(core.sent('wallet:get-test-funds').length, 1);
    await waitFor(() => assert.match(step.textContent ?? '', /Test funds sent/));
    // The user can try again: the confirm button is back.
    assert.equal(button('Register and stake 150 HRTH', step).disabled, false);
  } finally {
    view.stop();
  }
});

test('register: a locked wallet is unlocked inline', async () => {
  const core = marketCore({
    'market:status': () => ({ ok: true, value: needsProvider() }),
    'wallet:status': () => ({ ok: true, value: fx.walletStatus({ locked: true }) }),
    'wallet:unlock': () => ({ ok: true, value: fx.walletStatus() }),
  });
  const view = renderWithCore(<OverviewPage />, core);
  try {
    const step = await waitFor(() => screen.getByTestId('register-step'));
    const password = await waitFor(() => within(step).getByLabelText('Wallet password'));
    await waitFor(() => assert.ok(button(/^Register and stake/, step).disabled, 'no registering while locked'));
    fireEvent.change(password, { target: { value: 'correct horse' } });
    await act(async () => button('Unlock', step).click());
    assert.deepEqual(core.sent('wallet:unlock'), [{ password: 'correct horse' }]);
  } finally {
    view.stop();
  }
});

test('a locked wallet while jobs wait is a banner with the unlock in it', async () => {
  const core = marketCore({
    'market:status': () => ({ ok: true, value: fx.marketStatus({ state: 'locked', reason: 'The wallet is locked: Hearth cannot claim or sign.', waitingForUnlock: 2 }) }),
    'wallet:unlock': () => ({ ok: false, code: 'wrong_password', message: 'That password does not unlock this wallet.' }),
  });
  const view = renderWithCore(<OverviewPage />, core);
  try {
    const banner = await waitFor(() => screen.getByTestId('locked-banner'));
    assert.match(banner.textContent ?? '', /2 jobs are waiting for your wallet/);
    fireEvent.change(within(banner).getByLabelText('Wallet password'), { target: { value: 'nope' } });
    await act(async () => button('Unlock', banner).click());
    await waitFor(() => assert.match(within(banner).getByRole('alert').textContent ?? '', /does not unlock/));
    // Once unlocked (core's event), the banner goes away.
    await core.push('market:status', fx.marketStatus());
    assert.equal(screen.queryByTestId('locked-banner'), null);
  } finally {
    view.stop();
  }
});
