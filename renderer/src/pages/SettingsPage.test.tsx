import '../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { SettingsPage } from './SettingsPage.tsx';
import { fakeCore } from '../test/fake-core.ts';
import { renderWithCore } from '../test/render.ts';
import { defaultSettings } from '../../../common/settings.ts';

afterEach(() => cleanup());

test('a change is sent to core and the control follows core’s answer', async () => {
  const core = fakeCore({
    'settings:update': (patch) => {
      const next = defaultSettings();
      next.general = { ...next.general, ...(patch as { general: object }).general };
      return { ok: true, value: next };
    },
  });
  const view = renderWithCore(<SettingsPage />, core);
  try {
    const theme = await waitFor(() => screen.getByLabelText('Theme'));
    await act(async () => {
      fireEvent.change(theme, { target: { value: 'dark' } });
    });
    await waitFor(() => assert.ok(core.calls.some((c) => c.channel === 'settings:update')));
    assert.deepEqual(core.calls.find((c) => c.channel === 'settings:update')?.payload, { general: { theme: 'dark' } });
    await waitFor(() => assert.equal(view.store.getState().settings?.general.theme, 'dark'));
  } finally {
    view.stop();
  }
});

test('when core refuses a change, its sentence is shown by the field and nothing changes', async () => {
  const core = fakeCore({
    'settings:update': () => ({ ok: false, code: 'bad_input', message: 'Invalid settings: general.theme: not allowed here' }),
  });
  const view = renderWithCore(<SettingsPage />, core);
  try {
    const theme = await waitFor(() => screen.getByLabelText('Theme'));
    await act(async () => {
      fireEvent.change(theme, { target: { value: 'light' } });
    });
    await waitFor(() => assert.match(document.body.textContent ?? '', /not allowed here/));
    assert.equal(view.store.getState().settings?.general.theme, 'system');
    assert.equal(view.store.getState().fieldErrors['general.theme'], 'Invalid settings: general.theme: not allowed here');
  } finally {
    view.stop();
  }
});

test('settings changed elsewhere (another window, the CLI) arrive as an event', async () => {
  const core = fakeCore();
  const view = renderWithCore(<SettingsPage />, core);
  try {
    await waitFor(() => screen.getByLabelText('Theme'));
    const next = defaultSettings();
    next.general.notifications = false;
    await act(async () => core.emit('settings:changed', next));
    await waitFor(() => assert.equal(view.store.getState().settings?.general.notifications, false));
    await act(async () => core.emit('settings:changed', { general: { theme: 42 } }));
    assert.equal(view.store.getState().settings?.general.notifications, false, 'a malformed event is ignored');
  } finally {
    view.stop();
  }
});

test('settings that cannot load show the reason and a way to retry', async () => {
  let fail = true;
  const core = fakeCore({
    'settings:get': () => (fail ? { ok: false, code: 'internal', message: 'settings:get failed unexpectedly.' } : { ok: true, value: defaultSettings() }),
  });
  const view = renderWithCore(<SettingsPage />, core);
  try {
    await waitFor(() => assert.match(document.body.textContent ?? '', /Could not load settings/));
    fail = false;
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    });
    await waitFor(() => screen.getByLabelText('Theme'));
  } finally {
    view.stop();
  }
});
