import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baseName, classifyProcess, isDesktopProcess } from './processes.ts';

const ctx = { ownPids: new Set([100]) };

test('our worker is ours whatever its type', () => {
  assert.equal(classifyProcess({ pid: 100, name: 'node', type: 'C' }, ctx), 'ours');
});

test('type decides when known: G and C+G are desktop, C is compute', () => {
  assert.equal(classifyProcess({ pid: 1, name: 'python', type: 'G' }, ctx), 'desktop');
  assert.equal(classifyProcess({ pid: 1, name: 'C:\\Program Files\\1Password\\1Password.exe', type: 'C+G' }, ctx), 'desktop');
  assert.equal(classifyProcess({ pid: 1, name: '/usr/bin/Xorg', type: 'C' }, ctx), 'compute');
});

test('without a type, compositors, shells and browser GPU processes are desktop', () => {
  for (const n of ['/usr/lib/Xorg', '/usr/bin/kwin_wayland', '/usr/bin/gnome-shell', 'C:\\Windows\\System32\\dwm.exe', 'C:\\Windows\\explorer.exe', '/opt/visual-studio-code/code --type=gpu-process --enable-crash-reporter=x', 'C:\\Windows\\SystemApps\\Foo_cw5n1h2txyewy\\Bar.exe']) {
    assert.equal(isDesktopProcess(n), true, n);
  }
  for (const n of ['python3', '/root/tools/memhog', './gpu_burn', 'C:\\tools\\ffmpeg.exe', 'ollama']) {
    assert.equal(classifyProcess({ pid: 2, name: n, type: null }, ctx), 'compute', n);
  }
});

test('base names drop folders, arguments and .exe', () => {
  assert.equal(baseName('C:\\Program Files\\NVIDIA Corporation\\NVIDIA App\\CEF\\NVIDIA Overlay.exe'), 'nvidia overlay');
  assert.equal(baseName('/opt/microsoft/msedge/msedge --type=gpu-process'), 'msedge');
});
