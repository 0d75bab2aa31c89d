import '../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import type { UpdateState } from '../../../common/ipc/groups/update.ts';
import { downloadedText, UpdateBanner } from './UpdateBanner.tsx';
import { App } from './App.tsx';
import { fakeCore, type Answer } from '../test/fake-core.ts';
import { renderWithCore } from '../test/render.ts';

afterEach(() => cleanup());

const reply = (value: UpdateState) => ({ ok: true as const, value });

test('nothing shows while up to date or where updates come from elsewhere', async () => {
  for (const state of [{ state: 'idle', checkedAt: null }, { state: 'checking' }, { state: 'unsupported', reason: 'The daemon does not update itself.' }] as UpdateState[]) {
    const core = fakeCore({ 'update:status': () => reply(state) });
    const view = renderWithCore(<UpdateBanner />, core);
    await waitFor(() => assert.ok(core.calls.some((c) => c.channel === 'update:status')));
    await act(async () => undefined);
    assert.equal(screen.queryByTestId('update-banner'), null, state.state);
    view.stop();
    cleanup();
  }
});

test('the download shows as a progress bar that follows update:changed, then "Restart to update" restarts through core', async () => {
  let restart: Answer = () => reply({ state: 'ready', version: '0.2.0', waitingForJob: false });
  const core = fakeCore({ 'update:status': () => reply({ state: 'downloading', version: '0.2.0', percent: 12.4, bytes: 9.9e6, totalBytes: 80e6 }), 'update:restart': (p) => restart(p) });
  const view = renderWithCore(<UpdateBanner />, core);
  try {
    const bar = await waitFor(() => screen.getByRole('progressbar'));
    assert.equal(bar.getAttribute('aria-valuenow'), '12');
    assert.match(screen.getByTestId('update-banner').textContent ?? '', /Downloading Hearth 0\.2\.0.*12% · 9\.9 of 80\.0 MB/);
    await act(async () => core.emit('update:changed', { state: 'downloading', version: '0.2.0', percent: 64, bytes: 51.2e6, totalBytes: 80e6 }));
    assert.equal(screen.getByRole('progressbar').getAttribute('aria-valuenow'), '64');
    await act(async () => core.emit('update:changed', { state: 'downloading', version: '0.2.0', percent: 900, bytes: -5, totalBytes: 80e6 }));
    assert.equal(screen.getByRole('progressbar').getAttribute('aria-valuenow'), '64', 'an invalid event is ignored');
    await act(async () => core.emit('update:changed', { state: 'ready', version: '0.2.0', waitingForJob: false }));
    const button = screen.getByRole('button', { name: 'Restart to update' });
    await act(async () => {
      fireEvent.click(button);
    });
    await waitFor(() => assert.ok(core.calls.some((c) => c.channel === 'update:restart')));
    restart = () => ({ ok: false, code: 'update_not_ready', message: 'No update has been downloaded yet.' });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Restart to update' }));
    });
    await waitFor(() => assert.match(screen.getByTestId('update-banner').textContent ?? '', /No update has been downloaded yet/));
  } finally {
    view.stop();
  }
});

test('during a paid job the restart waits, and the banner says so', async () => {
  const core = fakeCore({
    'update:status': () => reply({ state: 'ready', version: '0.2.0', waitingForJob: false }),
    'update:restart': () => reply({ state: 'ready', version: '0.2.0', waitingForJob: true }),
  });
  const view = renderWithCore(<UpdateBanner />, core);
  try {
    const button = await waitFor(() => screen.getByRole('button', { name: 'Restart to update' }));
    await act(async () => {
      fireEvent.click(button);
    });
    const waiting = await waitFor(() => screen.getByRole('button', { name: 'Restarting after this job' }));
    assert.equal(waiting.hasAttribute('disabled'), true);
    assert.match(screen.getByTestId('update-banner').textContent ?? '', /paid job is running/);
  } finally {
    view.stop();
  }
});

test('a failed update says what happened, can be retried and dismissed', async () => {
  const core = fakeCore({
    'update:status': () => reply({ state: 'error', message: 'Could not update Hearth (net::ERR_NAME_NOT_RESOLVED).' }),
    'update:check': () => reply({ state: 'checking' }),
  });
  const view = renderWithCore(<UpdateBanner />, core);
  try {
    await waitFor(() => assert.match(screen.getByTestId('update-banner').textContent ?? '', /ERR_NAME_NOT_RESOLVED/));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    });
    await waitFor(() => assert.ok(core.calls.some((c) => c.channel === 'update:check')));
    await waitFor(() => assert.equal(screen.queryByTestId('update-banner'), null, 'checking shows nothing'));
    await act(async () => core.emit('update:changed', { state: 'error', message: 'Still offline.' }));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    });
    assert.equal(screen.queryByTestId('update-banner'), null);
  } finally {
    view.stop();
  }
});

test('the banner sits in the app shell above the page', async () => {
  const core = fakeCore({ 'update:status': () => reply({ state: 'ready', version: '0.2.0', waitingForJob: false }) });
  const view = renderWithCore(<App />, core);
  try {
    const banner = await waitFor(() => screen.getByTestId('update-banner'));
    assert.ok(banner.compareDocumentPosition(document.querySelector('main')!) & Node.DOCUMENT_POSITION_FOLLOWING);
  } finally {
    view.stop();
  }
});

test('download sizes are written plainly', () => {
  assert.equal(downloadedText(0, 0), '0.0 MB');
  assert.equal(downloadedText(1.25e6, 150e6), '1.3 of 150 MB');
});
