import '../test/dom.ts';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { ConsolePage, type ScreenFactory } from './ConsolePage.tsx';
import type { TerminalEvents } from './console/terminal.ts';
import { fakeCore } from '../test/fake-core.ts';
import { renderWithCore } from '../test/render.ts';

afterEach(() => cleanup());

/** A terminal that records what it is asked to draw; `drawAll` plays xterm finishing its writes. */
function fakeScreen() {
  const written: string[] = [];
  const waiting: (() => void)[] = [];
  let events: TerminalEvents | undefined;
  const factory: ScreenFactory = (_host, given) => {
    events = given;
    return Promise.resolve({
      write: (data, drawn) => {
        written.push(data);
        waiting.push(drawn);
      },
      note: (text) => void written.push(text),
      reset: () => void (written.length = 0),
      focus: () => undefined,
      size: () => ({ cols: 90, rows: 28 }),
      dispose: () => undefined,
    });
  };
  return {
    factory,
    written,
    type: (data: string) => events?.onInput(data),
    resize: (cols: number, rows: number) => events?.onResize({ cols, rows }),
    drawAll: () => waiting.splice(0).forEach((drawn) => drawn()),
  };
}

const opened = { ok: true as const, value: { id: 'c1', shell: '/bin/bash', cwd: '/data/hearth', hearth: true } };

test('opens a session at the terminal size, acks each batch only once drawn, and sends keys and sizes', async () => {
  const core = fakeCore({ 'console:open': () => opened, 'console:ack': () => ({ ok: true, value: {} }), 'console:input': () => ({ ok: true, value: {} }), 'console:resize': () => ({ ok: true, value: {} }) });
  const term = fakeScreen();
  const view = renderWithCore(<ConsolePage openScreen={term.factory} />, core);
  try {
    await waitFor(() => assert.ok(screen.getByText('Running')));
    assert.deepEqual(core.calls.find((c) => c.channel === 'console:open')?.payload, { cols: 90, rows: 28 });
    assert.ok(screen.getByText('/data/hearth'));
    await act(async () => {
      core.emit('console:data', { id: 'c1', seq: 1, data: 'hello ' });
      core.emit('console:data', { id: 'c1', seq: 2, data: 'world' });
      core.emit('console:data', { id: 'c9', seq: 1, data: 'not mine' });
    });
    assert.deepEqual(term.written, ['hello ', 'world']);
    assert.equal(core.calls.filter((c) => c.channel === 'console:ack').length, 0, 'nothing is acked before it is drawn');
    await act(async () => term.drawAll());
    await waitFor(() => assert.deepEqual(core.calls.filter((c) => c.channel === 'console:ack').map((c) => c.payload), [{ id: 'c1', seq: 1 }, { id: 'c1', seq: 2 }]));
    await act(async () => {
      term.type('ls\r');
      term.resize(120, 40);
    });
    await waitFor(() => assert.deepEqual(core.calls.find((c) => c.channel === 'console:input')?.payload, { id: 'c1', data: 'ls\r' }));
    assert.deepEqual(core.calls.find((c) => c.channel === 'console:resize')?.payload, { id: 'c1', cols: 120, rows: 40 });
  } finally {
    view.stop();
  }
  // Leaving the page closes the shell.
  cleanup();
  await waitFor(() => assert.deepEqual(core.calls.find((c) => c.channel === 'console:close')?.payload, { id: 'c1' }));
});

test('an exited shell says so and starts a new session on request', async () => {
  let opens = 0;
  const core = fakeCore({ 'console:open': () => ({ ...opened, value: { ...opened.value, id: `c${++opens}` } }) });
  const term = fakeScreen();
  const view = renderWithCore(<ConsolePage openScreen={term.factory} />, core);
  try {
    await waitFor(() => assert.ok(screen.getByText('Running')));
    await act(async () => core.emit('console:exit', { id: 'c1', code: 3, signal: null }));
    await waitFor(() => assert.ok(screen.getByText('Exited (code 3)')));
    assert.ok(screen.getByText(/The shell ended with exit code 3/));
    assert.ok(term.written.some((line) => /exit code 3/.test(line)), 'the terminal notes it below the output');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start a new session' }));
    });
    await waitFor(() => assert.ok(screen.getByText('Running')));
    assert.equal(opens, 2);
  } finally {
    view.stop();
  }
});

test('a daemon without --console: the page explains how to turn it on, with no terminal', async () => {
  const core = fakeCore({
    'console:open': () => ({ ok: false, code: 'console_disabled', message: 'The console is off in this Hearth daemon.' }),
  });
  const view = renderWithCore(<ConsolePage openScreen={fakeScreen().factory} />, core);
  try {
    const off = await waitFor(() => screen.getByTestId('console-off'));
    assert.match(off.textContent ?? '', /hearth daemon --console/);
    assert.equal(screen.queryByRole('button', { name: 'Start a new session' }), null, 'restarting cannot help');
    assert.equal(document.querySelector<HTMLElement>('section.console')?.hidden, true);
  } finally {
    view.stop();
  }
});

test('other refusals show core\'s sentence and let the user try again', async () => {
  const core = fakeCore({ 'console:open': () => ({ ok: false, code: 'console_limit', message: 'This window already has 4 console sessions open.' }) });
  const view = renderWithCore(<ConsolePage openScreen={fakeScreen().factory} />, core);
  try {
    await waitFor(() => assert.ok(screen.getByText(/already has 4 console sessions/)));
    assert.ok(screen.getByRole('button', { name: 'Start a new session' }));
  } finally {
    view.stop();
  }
});
