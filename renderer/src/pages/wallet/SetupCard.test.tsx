import '../../test/dom.ts';
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { fakeCore } from '../../test/fake-core.ts';
import { renderWithCore } from '../../test/render.ts';
import { toCallError } from '../../state/store.ts';
import { SetupCard } from './SetupCard.tsx';
import type { WalletData } from './use-wallet.ts';

afterEach(() => cleanup());

const PHRASE = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

/** The page's WalletData, with `run` calling through to the fake core the way use-wallet does. */
function walletData(): WalletData {
  return {
    wallet: null,
    chain: null,
    txs: [],
    error: null,
    reload: () => undefined,
    busy: null,
    async run(_name, action) {
      try {
        return { value: await action(), error: null };
      } catch (failure) {
        return { value: null, error: toCallError(failure) };
      }
    },
  };
}

function renderSetup() {
  const core = fakeCore({ 'wallet:create': () => ({ ok: true, value: { mnemonic: PHRASE, confirmWords: [2, 7] } }) });
  return renderWithCore(<SetupCard data={walletData()} />, core);
}

test('Create new / Import are ARIA tabs: one tab stop, arrow keys switch and select, each names its panel', () => {
  const view = renderSetup();
  try {
    const create = screen.getByRole('tab', { name: 'Create new' });
    const imp = screen.getByRole('tab', { name: 'Import' });
    assert.deepEqual([create.tabIndex, imp.tabIndex], [0, -1]);
    create.focus();
    fireEvent.keyDown(create, { key: 'ArrowRight' });
    assert.equal(document.activeElement, imp);
    assert.equal(imp.getAttribute('aria-selected'), 'true');
    assert.deepEqual([create.tabIndex, imp.tabIndex], [-1, 0]);
    const panel = screen.getByRole('tabpanel');
    assert.equal(panel.getAttribute('aria-labelledby'), imp.id);
    assert.equal(imp.getAttribute('aria-controls'), panel.id);
    assert.ok(screen.getByLabelText('What do you have?'));
    fireEvent.keyDown(imp, { key: 'ArrowLeft' });
    assert.equal(document.activeElement, create);
    assert.ok(screen.getByLabelText('Wallet password'));
  } finally {
    view.stop();
  }
});

test('each creation step takes focus as it replaces the last: the phrase, then the first word to type, then the phrase again', async () => {
  const view = renderSetup();
  try {
    fireEvent.change(screen.getByLabelText('Wallet password'), { target: { value: 'a long password' } });
    fireEvent.change(screen.getByLabelText('Repeat password'), { target: { value: 'a long password' } });
    const submit = screen.getByRole('button', { name: 'Create wallet' });
    submit.focus();
    await act(async () => fireEvent.click(submit));
    const phrase = await waitFor(() => screen.getByRole('list', { name: 'Recovery phrase' }));
    assert.equal(document.activeElement, phrase.parentElement, 'focus is on the phrase step, not lost to <body>');
    const wrote = screen.getByRole('button', { name: 'I wrote them down' });
    wrote.focus();
    fireEvent.click(wrote);
    assert.equal(document.activeElement, screen.getByLabelText('Word 3'));
    const again = screen.getByRole('button', { name: 'Show the words again' });
    again.focus();
    fireEvent.click(again);
    assert.equal(document.activeElement, screen.getByRole('list', { name: 'Recovery phrase' }).parentElement);
  } finally {
    view.stop();
  }
});
