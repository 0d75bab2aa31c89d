// Renders SVG to PNG with resvg compiled to WebAssembly: no per-platform binary, so the
// lockfile stays the same on every OS. Used for the app icons and the tray icons.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

const require = createRequire(import.meta.url);
let ready;

/** The PNG of `svg` drawn `size` pixels wide (height follows the SVG's aspect ratio). */
export async function svgToPng(svg, size) {
  ready ??= readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')).then((wasm) => initWasm(wasm));
  await ready;
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render();
  try {
    return Buffer.from(image.asPng());
  } finally {
    image.free();
  }
}
