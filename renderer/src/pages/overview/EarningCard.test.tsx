import '../../test/dom.ts';
import { renderWithCore } from '../../test/render.ts';
import assert from 'node:assert/strict';
import { afterEach, before, test } from 'node:test';
import type { ClientTransport } from '../../../../common/ipc/client.ts';
import type { SchedulerStatus } from '../../../../common/ipc/groups/scheduler.ts';
import { defaultSettings, type Settings } from '../../../../common/settings.ts';


let rtl: typeof import('@testing-library/react');
let React: typeof import('react');
let card: typeof import('./EarningCard.tsx');
let section: typeof import('../settings/SchedulerSection.tsx');

before(async () => {
  rtl = await import('@testing-library/react');
  React = await import('react');
  card = await import('./EarningCard.tsx');
  section = await import('../settings/SchedulerSection.tsx');
});

afterEach(() => rtl.cleanup());

const base: SchedulerStatus = {
  state: 'waiting',
  reason: 'Waiting — you were active 40 s ago (starts after 5 min idle)',
  since: 1,
  idleSeconds: 40,
  idleThresholdSeconds: 300,
  vetoes: [],
  pause: { kind: 'none' },
  finishingThenPause: false,
  job: null,
  jobSource: { kind: 'practice', description: 'Practice work: pays nothing until the job market is connected.' },
  signals: [
    { signal: 'input', available: false, detail: 'No X11 display (DISPLAY is not set).' },
    { signal: 'gpu', available: true, detail: 'hardware telemetry' },
  ],
  jobsCompleted: 2,
  jobsPreempted: 1,
  lastYieldMs: 48,
  testHooks: false,
};

function fakeCore(status: SchedulerStatus) {
  const calls: { channel: string; payload: unknown }[] = [];
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  let settings: Settings = defaultSettings();
  const transport: ClientTransport = {
    async request(channel, payload) {
      calls.push({ channel, payload });
      switch (channel) {
        case 'scheduler:status':
          return { ok: true, value: status };
        case 'scheduler:pause':
          return { ok: true, value: { ...status, state: 'paused', reason: 'Paused — until you resume', pause: { kind: 'indefinite' } } };
        case 'scheduler:resume':
          return { ok: true, value: status };
        case 'settings:get':
          return { ok: true, value: settings };
        case 'settings:update': {
          const patch = payload as { scheduler?: Partial<Settings['scheduler']> };
          settings = { ...settings, scheduler: { ...settings.scheduler, ...patch.scheduler } };
          return { ok: true, value: settings };
        }
        default:
          return { ok: false, code: 'unavailable', message: 'not in this test' };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = async (channel: string, payload: unknown): Promise<void> => {
    await rtl.act(async () => {
      listeners.forEach((l) => l(channel, payload));
    });
  };
  return { transport, calls, emit };
}

function render(core: ReturnType<typeof fakeCore>, component: React.ComponentType) {
  return renderWithCore(React.createElement(component), core);
}

test('the earning card shows the state and reason, follows status events, labels practice work, and pauses', async () => {
  const core = fakeCore(base);
  const view = render(core, card.EarningCard);
  try {
    const reason = await rtl.waitFor(() => {
      const el = view.container.querySelector('[data-testid="earning-reason"]');
      assert.ok(el);
      return el;
    });
    assert.equal(reason.textContent, base.reason);
    assert.match(view.container.textContent ?? '', /Waiting for you to step away/);
    assert.match(view.container.textContent ?? '', /1 it cannot see here · 2 jobs finished, 1 stopped for you · last gave the machine back in 48 ms/);
    assert.match(view.container.textContent ?? '', /No X11 display \(DISPLAY is not set\)\./);
    await core.emit('scheduler:status', {
      ...base,
      state: 'running',
      reason: 'Running practice work (unpaid): PaddleOCR — you have been away 6 min',
      job: { id: 'j1', kind: 'practice', label: 'PaddleOCR', startedAt: 1, deviceId: 'cpu' },
    });
    await rtl.waitFor(() => assert.match(reason.textContent ?? '', /^Running practice work \(unpaid\)/));
    assert.match(view.container.textContent ?? '', /Practice · unpaid/);
    const finish = view.container.querySelector<HTMLInputElement>('.earning__finish input');
    assert.ok(finish, 'the "finish first" option shows while working');
    await rtl.act(async () => finish.click());
    const pause = [...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Pause until I resume');
    assert.ok(pause);
    await rtl.act(async () => pause.click());
    assert.ok(core.calls.some((c) => c.channel === 'scheduler:pause' && JSON.stringify(c.payload) === JSON.stringify({ duration: 'resume', finishCurrent: true })));
    await rtl.waitFor(() => assert.equal(reason.textContent, 'Paused — until you resume'));
    assert.ok([...view.container.querySelectorAll('button')].some((b) => b.textContent === 'Resume now'));
  } finally {
    view.stop();
  }
});

test('each watched signal says in words, not only by the pill colour, whether Hearth can see it', async () => {
  const core = fakeCore(base);
  const view = render(core, card.EarningCard);
  try {
    const terms = await rtl.waitFor(() => {
      const found = rtl.screen.getAllByRole('term');
      assert.equal(found.length, 2);
      return found;
    });
    assert.deepEqual(
      terms.map((t) => t.textContent),
      ['Keyboard and mouse: not available here', 'GPU readings: watched'],
    );
  } finally {
    view.stop();
  }
});

test('pause and resume from the keyboard: focus follows to the button that replaces the one pressed, and is never taken from elsewhere', async () => {
  const core = fakeCore(base);
  const view = render(core, card.EarningCard);
  const button = (name: string) => [...view.container.querySelectorAll('button')].find((b) => b.textContent === name);
  try {
    const pause = await rtl.waitFor(() => {
      const el = button('Pause until I resume');
      assert.ok(el);
      return el;
    });
    pause.focus();
    await rtl.act(async () => pause.click());
    await rtl.waitFor(() => assert.ok(button('Resume now')));
    assert.equal(document.activeElement, button('Resume now'), 'focus is on Resume now, not lost to <body>');
    await rtl.act(async () => button('Resume now')!.click());
    await rtl.waitFor(() => assert.ok(button('Pause 1 hour')));
    assert.equal(document.activeElement, button('Pause 1 hour'));

    // A pause that comes from elsewhere (the tray, another window) leaves the user's focus alone.
    const elsewhere = document.body.appendChild(document.createElement('input'));
    elsewhere.focus();
    await core.emit('scheduler:status', { ...base, state: 'paused', reason: 'Paused — until you resume', pause: { kind: 'indefinite' } });
    await rtl.waitFor(() => assert.ok(button('Resume now')));
    assert.equal(document.activeElement, elsewhere);
    // Nor does one that comes while focus is nowhere (a mouse user clicked the page background).
    elsewhere.remove();
    await core.emit('scheduler:status', base);
    await rtl.waitFor(() => assert.ok(button('Pause 1 hour')));
    assert.equal(document.activeElement, document.body);
  } finally {
    view.stop();
  }
});

test('settings: the app list refuses a folder path and saves a program name', async () => {
  const core = fakeCore(base);
  const view = render(core, section.SchedulerSection);
  try {
    const input = await rtl.waitFor(() => {
      const el = view.container.querySelector<HTMLInputElement>('#setting-scheduler-apps');
      assert.ok(el);
      return el;
    });
    const add = [...view.container.querySelectorAll('button')].find((b) => b.textContent === 'Add')!;
    rtl.fireEvent.change(input, { target: { value: 'C:\\Games\\x.exe' } });
    await rtl.act(async () => add.click());
    assert.match(view.container.textContent ?? '', /Use only the program file name, without a folder/);
    assert.ok(!core.calls.some((c) => c.channel === 'settings:update'));
    rtl.fireEvent.change(input, { target: { value: 'mygame.exe' } });
    await rtl.act(async () => add.click());
    const update = core.calls.find((c) => c.channel === 'settings:update');
    assert.ok(update);
    const apps = (update.payload as { scheduler: { blockApps: string[] } }).scheduler.blockApps;
    assert.equal(apps.at(-1), 'mygame.exe');
    assert.ok(apps.includes('cs2.exe'), 'the starter list is kept');
  } finally {
    view.stop();
  }
});
