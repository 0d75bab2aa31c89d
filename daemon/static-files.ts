import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export type StaticResult = { status: 200; body: Buffer; type: string } | { status: 404 | 400 };

/**
 * Resolves a URL path inside `root`, refusing anything that would escape it
 * (`..`, encoded slashes, NUL) before touching the disk.
 */
export async function readStatic(root: string, urlPath: string): Promise<StaticResult> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400 };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, relative);
  if (full !== base && !full.startsWith(base + sep)) return { status: 400 };
  try {
    const info = await stat(full);
    if (!info.isFile()) return { status: 404 };
    return { status: 200, body: await readFile(full), type: contentTypes[extname(full)] ?? 'application/octet-stream' };
  } catch {
    return { status: 404 };
  }
}
