#!/usr/bin/env node
// Renders the tray icons (build/tray/<state>.svg) to PNG at 1x and 2x for each kind of task
// bar: `-light` (dark glyph for a light bar), `-dark` (light glyph for a dark bar) and the
// macOS template (`…Template.png`: black and alpha only, tinted by the system).
// Usage: node scripts/build-tray-icons.mjs [outDir]   (default dist/electron/tray)
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svgToPng } from './svg-png.mjs';

export const TRAY_STATES = ['waiting', 'earning', 'paused', 'attention'];
/** Glyph colours: dark on a light task bar, light on a dark one. */
export const GLYPH = { light: '#1b1613', dark: '#f5efe9' };
/** 16 px is the tray size on Windows and the macOS menu bar; 2x for HiDPI screens. */
export const SIZE = 16;

const sourceDir = fileURLToPath(new URL('../build/tray/', import.meta.url));

/** The SVG for one variant: the glyph colour set, or everything black for a template. */
export function variantSvg(svg, variant) {
  if (variant === 'template') return svg.replace(/<svg /, '<svg color="#000000" ').replace(/#[0-9a-fA-F]{6}\b/g, (c) => (c.toLowerCase() === '#ffffff' ? c : '#000000'));
  return svg.replace(/<svg /, `<svg color="${GLYPH[variant]}" `);
}

/** The files for one state: name → SVG variant and pixel size. */
export function trayIconFiles(state) {
  const files = [];
  for (const [suffix, scale] of [['', 1], ['@2x', 2]]) {
    files.push({ name: `tray-${state}-light${suffix}.png`, variant: 'light', size: SIZE * scale });
    files.push({ name: `tray-${state}-dark${suffix}.png`, variant: 'dark', size: SIZE * scale });
    files.push({ name: `tray-${state}Template${suffix}.png`, variant: 'template', size: SIZE * scale });
  }
  return files;
}

export async function buildTrayIcons(outDir = 'dist/electron/tray') {
  await mkdir(outDir, { recursive: true });
  const written = [];
  for (const state of TRAY_STATES) {
    const svg = await readFile(join(sourceDir, `${state}.svg`), 'utf8');
    for (const file of trayIconFiles(state)) {
      await writeFile(join(outDir, file.name), await svgToPng(variantSvg(svg, file.variant), file.size));
      written.push(file.name);
    }
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? 'dist/electron/tray';
  const written = await buildTrayIcons(out);
  process.stdout.write(`Built ${written.length} tray icons in ${out}.\n`);
}
