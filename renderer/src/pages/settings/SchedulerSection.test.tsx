import '../../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SchedulerSection } from './SchedulerSection.tsx';
import { fakeCore } from '../../test/fake-core.ts';
import { renderWithCore } from '../../test/render.ts';
import { defaultSettings } from '../../../../common/settings.ts';

afterEach(() => cleanup());

test('each program chip has a remove button named after its program (its only visible text is ×)', async () => {
  const initial = defaultSettings();
  initial.scheduler.blockApps = ['cs2.exe', 'blender'];
  const core = fakeCore({ 'settings:update': () => ({ ok: true, value: initial }) });
  core.setSettings(initial);
  const view = renderWithCore(<SchedulerSection />, core);
  try {
    const chips = await waitFor(() => screen.getByRole('group', { name: 'Programs that pause Hearth' }));
    const remove = within(chips).getByRole('button', { name: 'Remove cs2.exe' });
    assert.equal(remove.textContent, '×');
    assert.ok(within(chips).getByRole('button', { name: 'Remove blender' }));
    await act(async () => {
      fireEvent.click(remove);
    });
    await waitFor(() => assert.deepEqual(core.calls.find((c) => c.channel === 'settings:update')?.payload, { scheduler: { blockApps: ['blender'] } }));
  } finally {
    view.stop();
  }
});
