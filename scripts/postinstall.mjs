#!/usr/bin/env node
// npm may itself run on an older system Node (20 on our build machines). It then skips
// optional packages that need Node 22+, Hardhat's native EDR binary among them. Once the
// project's own Node (the `node` devDependency) is installed, run npm once more under it
// so those packages are filled in. A no-op wherever npm already runs on Node 22+.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npmNode = process.env.npm_node_execpath;
const npmCli = process.env.npm_execpath;
const projectNode = join(root, 'node_modules', 'node', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');

function major(execPath) {
  const result = spawnSync(execPath, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return Number(String(result.stdout).split('.')[0]);
}

if (process.env.HEARTH_POSTINSTALL_NESTED !== '1' && npmNode && npmCli && existsSync(projectNode) && major(npmNode) < 22) {
  process.stdout.write('Hearth: npm ran on an older Node; completing the install under the project Node for packages that need Node 22+…\n');
  const result = spawnSync(projectNode, [npmCli, 'install', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, HEARTH_POSTINSTALL_NESTED: '1', PATH: `${dirname(projectNode)}${process.platform === 'win32' ? ';' : ':'}${process.env.PATH ?? ''}` },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
