#!/usr/bin/env node
// Typechecks each layer with its own tsconfig, so a layer that lacks Node or DOM types
// (common/, renderer/) fails when code there reaches for them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const projects = ['.', 'common', 'core', 'daemon', 'worker', 'electron', 'renderer', 'e2e', 'scripts', 'bench', 'contracts'];
let failed = false;
for (const project of projects) {
  const path = project.endsWith('.json') ? project : `${project === '.' ? '' : `${project}/`}tsconfig.json`;
  if (!existsSync(path)) continue;
  const result = spawnSync('tsc', ['-p', path], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    failed = true;
    process.stderr.write(`typecheck failed in ${project}\n`);
  }
}
process.exit(failed ? 1 : 0);
