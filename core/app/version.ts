import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from './layout.ts';

let cached: string | undefined;

/** The version in package.json, read once. */
export function appVersion(): string {
  if (cached) return cached;
  const pkgPath = join(appRoot(), 'package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: unknown };
  cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  return cached;
}
