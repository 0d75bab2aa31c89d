import '../../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { GeneralSection } from './GeneralSection.tsx';
import { fakeCore } from '../../test/fake-core.ts';
import { renderWithCore } from '../../test/render.ts';
import { defaultSettings, type Settings } from '../../../../common/settings.ts';

afterEach(() => cleanup());

function coreWithSettings(initial: Settings) {
  let settings = initial;
  const core = fakeCore({
    'settings:get': () => ({ ok: true, value: settings }),
    'settings:update': (patch) => {
      settings = { ...settings, general: { ...settings.general, ...(patch as { general: object }).general } };
      return { ok: true, value: settings };
    },
  });
  return core;
}

test('each kind of notification has its own switch, sent to core as general.notify*', async () => {
  const core = coreWithSettings(defaultSettings());
  const view = renderWithCore(<GeneralSection />, core);
  try {
    const wallet = await waitFor(() => screen.getByRole('switch', { name: 'Wallet locked while jobs wait' }));
    assert.equal(wallet.getAttribute('aria-checked'), 'true');
    await act(async () => {
      fireEvent.click(wallet);
    });
    await waitFor(() => assert.deepEqual(core.calls.find((c) => c.channel === 'settings:update')?.payload, { general: { notifyWalletLocked: false } }));
    await waitFor(() => assert.equal(screen.getByRole('switch', { name: 'Wallet locked while jobs wait' }).getAttribute('aria-checked'), 'false'));
    for (const name of ['First payment', 'Problems that stop earning']) assert.equal(screen.getByRole('switch', { name }).hasAttribute('disabled'), false);
  } finally {
    view.stop();
  }
});

test('with the master switch off, the kinds are shown but cannot be changed', async () => {
  const settings = defaultSettings();
  settings.general.notifications = false;
  const core = coreWithSettings(settings);
  const view = renderWithCore(<GeneralSection />, core);
  try {
    await waitFor(() => assert.equal(screen.getByRole('switch', { name: 'Notifications' }).getAttribute('aria-checked'), 'false'));
    for (const name of ['First payment', 'Problems that stop earning', 'Wallet locked while jobs wait']) {
      assert.equal(screen.getByRole('switch', { name }).hasAttribute('disabled'), true, name);
    }
    assert.match(document.body.textContent ?? '', /hidden in the tray/);
  } finally {
    view.stop();
  }
});
