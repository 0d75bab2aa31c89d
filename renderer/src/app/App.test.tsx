import '../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { App } from './App.tsx';
import { fakeCore } from '../test/fake-core.ts';
import { renderWithCore } from '../test/render.ts';

afterEach(() => {
  cleanup();
  window.location.hash = '';
});

test('the shell lists every page and shows real status from core on the overview', async () => {
  const core = fakeCore();
  const view = renderWithCore(<App />, core);
  try {
    const nav = screen.getByRole('navigation');
    for (const name of ['Overview', 'Devices', 'Jobs', 'Wallet', 'Earn', 'Settings', 'Console']) {
      assert.ok(nav.textContent?.includes(name), `navigation lists ${name}`);
    }
    await waitFor(() => assert.match(document.body.textContent ?? '', /9\.9\.9/));
    assert.match(document.body.textContent ?? '', /\/data\/hearth/);
    assert.ok(core.calls.some((c) => c.channel === 'app:status'));
  } finally {
    view.stop();
  }
});

test('following a navigation link shows that page', async () => {
  const core = fakeCore();
  const view = renderWithCore(<App />, core);
  try {
    await act(async () => {
      window.location.hash = '#/console';
      window.dispatchEvent(new window.HashChangeEvent('hashchange'));
    });
    await waitFor(() => assert.equal(document.querySelector('main')?.getAttribute('data-page'), 'console'));
    assert.equal(screen.getByRole('heading', { level: 1 }).textContent, 'Console');
    assert.equal(document.title, 'Console · Hearth');
    await act(async () => {
      window.location.hash = '#/no-such-page';
      window.dispatchEvent(new window.HashChangeEvent('hashchange'));
    });
    await waitFor(() => assert.equal(document.querySelector('main')?.getAttribute('data-page'), 'overview'));
  } finally {
    view.stop();
  }
});

test('a refused token shows the unauthorized screen instead of the app', async () => {
  const core = fakeCore();
  const view = renderWithCore(<App />, core, 'unauthorized');
  try {
    await waitFor(() => assert.match(document.body.textContent ?? '', /token/i));
    assert.equal(document.querySelector('main#main'), null, 'no page is rendered without access');
  } finally {
    view.stop();
  }
});

test('losing the connection keeps the page and shows a reconnecting banner', async () => {
  const core = fakeCore();
  const view = renderWithCore(<App />, core);
  try {
    await waitFor(() => assert.match(document.body.textContent ?? '', /9\.9\.9/));
    act(() => view.link.set('reconnecting'));
    await waitFor(() => assert.match(document.body.textContent ?? '', /reconnect/i));
    assert.match(document.body.textContent ?? '', /9\.9\.9/, 'the last data stays on screen');
    const retry = screen.queryByRole('button', { name: /retry|try now/i });
    if (retry) fireEvent.click(retry);
  } finally {
    view.stop();
  }
});
