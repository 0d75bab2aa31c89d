import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import vm from 'node:vm';
import * as events from 'node:events';
import * as timers from 'node:timers';
import * as url from 'node:url';
import type * as Electron from 'electron';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../core/test-support.ts';
import { callNames, eventNames } from '../common/ipc/contract.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from './ipc-channels.ts';
import type { Unchained } from './edges.ts';

/** What the preload may reach of the `electron` module, typed against Electron's declarations. */
interface PreloadElectron {
  contextBridge: Pick<Electron.ContextBridge, 'exposeInMainWorld'>;
  ipcRenderer: Pick<Electron.IpcRenderer, 'invoke'> & Unchained<Electron.IpcRenderer, 'on' | 'removeListener'>;
}
type IpcListener = Parameters<Electron.IpcRenderer['on']>[1];

function fakeRendererElectron() {
  const exposed = new Map<string, unknown>();
  const invoked: unknown[][] = [];
  const listeners = new Map<string, Set<IpcListener>>();
  const electron: PreloadElectron = {
    contextBridge: { exposeInMainWorld: (key, api) => void exposed.set(key, api) },
    ipcRenderer: {
      invoke: (channel, ...args) => (invoked.push([channel, ...args]), Promise.resolve({ ok: true, value: 'answer' })),
      on: (channel, listener) => void (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener),
      removeListener: (channel, listener) => void listeners.get(channel)?.delete(listener),
    },
  };
  // What Electron passes a listener: the IpcRendererEvent first, whose `sender` is ipcRenderer
  // itself (the reason the page must never get it). A plain object stands in for it, passed
  // through Reflect.apply as Electron's C++ side passes it: untyped.
  const send = (channel: string, ...args: unknown[]): void => {
    const event = { sender: electron.ipcRenderer, senderId: 0, ports: [] };
    for (const l of listeners.get(channel) ?? []) Reflect.apply(l, undefined, [event, ...args]);
  };
  return { electron, exposed, invoked, listeners, send };
}

/**
 * Runs a bundle the way Electron 45 runs a sandboxed preload (lib/sandboxed_renderer/init.ts
 * and preload.ts): compiled as a function whose parameters are require, process, exports,
 * module, Buffer, global, setImmediate, clearImmediate, where require knows only electron
 * (and events, timers, url) and throws "module not found" for anything else. The global
 * object is an isolated world: no __filename, __dirname or Node require.
 */
/** The Node modules Electron's preloadRequire hands out besides electron. */
const sandboxModules = new Map<string, unknown>([
  ['events', events],
  ['node:events', events],
  ['timers', timers],
  ['node:timers', timers],
  ['url', url],
  ['node:url', url],
]);

function runAsSandboxedPreload(code: string, electron: PreloadElectron): { required: string[]; global: object } {
  const context = vm.createContext({ console });
  const global = vm.runInContext('globalThis', context) as object;
  const required: string[] = [];
  const preloadRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron' || name === 'electron/renderer' || name === 'electron/common') return electron;
    const standIn = sandboxModules.get(name);
    if (standIn) return standIn;
    throw new Error(`module not found: ${name}`);
  };
  const params = ['require', 'process', 'exports', 'module', 'Buffer', 'global', 'setImmediate', 'clearImmediate'];
  const fn = vm.compileFunction(code, params, { parsingContext: context, filename: 'preload.cjs' });
  const exports = {};
  const preloadProcess = { platform: process.platform, versions: process.versions, env: {}, argv: [] };
  fn(preloadRequire, preloadProcess, exports, { exports }, Buffer, global, setImmediate, clearImmediate);
  return { required, global };
}

/** The preload exactly as the app ships it: built by scripts/build-electron.mjs into a temp folder. */
async function builtPreload(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  try {
    const script = fileURLToPath(new URL('../scripts/build-electron.mjs', import.meta.url));
    const built = spawnSync(process.execPath, [script, '--outdir', dir], { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    return await readFile(join(dir, 'dist', 'electron', 'preload.cjs'), 'utf8');
  } finally {
    await cleanup();
  }
}

type Bridge = { request(channel: unknown, payload: unknown): Promise<unknown>; subscribe(listener: (c: string, p: unknown) => void): () => void };

test('the built preload runs with only the globals of a sandboxed preload and exposes hearth, routing only allowlisted channels', async () => {
  const code = await builtPreload();
  const fake = fakeRendererElectron();
  const { required, global } = runAsSandboxedPreload(code, fake.electron);
  assert.deepEqual(required, ['electron'], 'the bundle asks the sandbox for electron only');
  assert.equal('__filename' in global, false);
  assert.deepEqual([...fake.exposed.keys()], ['hearth']);
  const hearth = fake.exposed.get('hearth') as Bridge;

  const call = callNames[0]!;
  assert.equal(JSON.stringify(await hearth.request(call, { a: 1 })), JSON.stringify({ ok: true, value: 'answer' }));
  const refused = JSON.stringify(await hearth.request('shell:exec', {}));
  assert.match(refused, /"code":"unknown_channel"/);
  assert.match(JSON.stringify(await hearth.request({ toString: () => call }, {})), /unknown_channel/, 'a non-string channel is refused');
  assert.equal(JSON.stringify(fake.invoked), JSON.stringify([[CALL_CHANNEL, call, { a: 1 }]]), 'only the allowlisted call reached ipcRenderer');

  const seen: unknown[][] = [];
  const off = hearth.subscribe((channel, payload) => void seen.push([channel, payload]));
  const event = eventNames[0]!;
  fake.send(EVENT_CHANNEL, event, { n: 1 });
  fake.send(EVENT_CHANNEL, 'not:an-event', { n: 2 });
  fake.send('other-channel', event, { n: 3 });
  assert.equal(JSON.stringify(seen), JSON.stringify([[event, { n: 1 }]]), 'the page never sees the IpcRendererEvent or unknown events');
  off();
  assert.equal(fake.listeners.get(EVENT_CHANNEL)?.size, 0, 'unsubscribe removes the ipcRenderer listener');
});

test('the preload bundle built with the main bundle options fails in the sandbox (the banner needs __filename)', async () => {
  // Guards the test above: the sandbox must reject what Electron rejects.
  const fake = fakeRendererElectron();
  const banner = "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;\n";
  const code = banner + (await builtPreload());
  assert.throws(() => runAsSandboxedPreload(code, fake.electron), /__filename is not defined|module not found/);
  assert.throws(() => runAsSandboxedPreload("require('node:fs');", fake.electron), /module not found: node:fs/);
});
