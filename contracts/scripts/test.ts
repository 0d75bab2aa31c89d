// `npm run test:contracts`: the contract suite on Hardhat's in-process chain (node:test),
// with Hardhat's gas statistics written to contracts/cache/gas-stats.json. Ends with one
// `# pass N` / `# fail N` / `N passed, N failed` summary and a non-zero exit on any failure.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './exports.ts';

const cli = join(repoRoot, 'node_modules', 'hardhat', 'dist', 'src', 'cli.js');
const args = [cli, '--gas-stats-json', join(repoRoot, 'contracts', 'cache', 'gas-stats.json'), 'test', 'nodejs', ...process.argv.slice(2)];
const child = spawn(process.execPath, args, {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, FORCE_COLOR: '0' },
});
let output = '';
const relay = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
  output += chunk.toString();
  stream.write(chunk);
};
child.stdout.on('data', relay(process.stdout));
child.stderr.on('data', relay(process.stderr));
const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));

// Hardhat's node:test reporter prints "  12 passing (3s)" and "  1 failing".
const count = (word: string) =>
  Number(/^\s*(\d+) (?:passing|failing)/m.test(output) ? (output.match(new RegExp(`^\\s*(\\d+) ${word}`, 'm'))?.[1] ?? 0) : 0);
const passed = count('passing');
let failed = count('failing');
if (code !== 0 && failed === 0) failed = 1; // crashed before reporting: never report green
// Both summary styles the repo's runner understands (scripts/test.mjs reads the last ones).
console.log(`# pass ${passed}\n# fail ${failed}\n${passed} passed, ${failed} failed`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);
