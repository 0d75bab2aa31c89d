import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-wasm';
import { tempDir } from '../core/test-support.ts';
import { TRAY_STATES, trayIconFile } from '../electron/tray-state.ts';
import { buildTrayIcons as build, variantSvg as variant } from './build-tray-icons.mjs';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Every opaque pixel's colour of an SVG rendered at 32 px (resvg is already initialised by the build). */
function colours(svg: string): Set<string> {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: 32 } }).render();
  const px = image.pixels;
  const found = new Set<string>();
  for (let i = 0; i < px.length; i += 4) if (px[i + 3]! > 200) found.add(`${px[i]},${px[i + 1]},${px[i + 2]}`);
  image.free();
  return found;
}

test('tray icons: every file the tray asks for exists at 16 and 32 px, templates are black and alpha only', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const written = await build(dir);
    assert.equal(written.length, 24);
    const files = new Set(await readdir(dir));
    for (const state of TRAY_STATES) {
      for (const [platform, dark] of [['darwin', false], ['win32', true], ['win32', false], ['linux', true], ['linux', false]] as const) {
        const name = trayIconFile(state, platform, dark);
        assert.ok(files.has(name), name);
        assert.deepEqual(pngSize(await readFile(join(dir, name))), { width: 16, height: 16 }, name);
        const hidpi = name.replace(/\.png$/, '@2x.png');
        assert.deepEqual(pngSize(await readFile(join(dir, hidpi))), { width: 32, height: 32 }, hidpi);
      }
    }
    const sources = join(import.meta.dirname, '..', 'build', 'tray');
    const sizes = new Set<number>();
    for (const state of TRAY_STATES) {
      const svg = await readFile(join(sources, `${state}.svg`), 'utf8');
      assert.deepEqual([...colours(variant(svg, 'template'))], ['0,0,0'], `${state} template is black only`);
      const light = colours(variant(svg, 'light'));
      const dark = colours(variant(svg, 'dark'));
      if (state !== 'earning') assert.notDeepEqual(light, dark, `${state} differs for light and dark task bars`);
      sizes.add((await readFile(join(dir, `tray-${state}-dark@2x.png`))).length);
    }
    assert.equal(sizes.size, 4, 'four different drawings');
  } finally {
    await cleanup();
  }
});
