// `npm run contracts:gas [-- --update]`: runs the gas scenario under Hardhat's built-in gas
// statistics (--gas-stats-json), then compares the per-function medians and the scenario
// figures with contracts/gas-baseline.json. Exits 1 on a regression over 2%.
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './exports.ts';

const TOLERANCE = 0.02;
const update = process.argv.includes('--update');
const statsFile = join(repoRoot, 'contracts', 'cache', 'gas-stats.json');
const figuresFile = join(repoRoot, 'contracts', 'cache', 'gas-figures.json');
const baselineFile = join(repoRoot, 'contracts', 'gas-baseline.json');
const TRACKED = ['HearthToken', 'DevFaucet', 'ProviderStaking', 'JobMarket', 'LendingVault', 'FeePool'];

const run = spawnSync(
  process.execPath,
  [
    join(repoRoot, 'node_modules', 'hardhat', 'dist', 'src', 'cli.js'),
    '--gas-stats-json',
    statsFile,
    'test',
    'nodejs',
    'contracts/test/gas.test.ts',
  ],
  { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, HEARTH_GAS_FIGURES: figuresFile, ...(update ? { HEARTH_GAS_UPDATE: '1' } : {}) } },
);
if (run.status !== 0) process.exit(run.status ?? 1);

interface Stats {
  contracts: Record<
    string,
    { contractName: string; functions: Record<string, { median: number }> | null; deployment?: { median: number } }
  >;
}
const stats = JSON.parse(await readFile(statsFile, 'utf8')) as Stats;
const functions: Record<string, number> = {};
for (const entry of Object.values(stats.contracts)) {
  if (!TRACKED.includes(entry.contractName)) continue;
  if (entry.deployment) functions[`${entry.contractName}.deploy`] = entry.deployment.median;
  for (const [fn, s] of Object.entries(entry.functions ?? {})) functions[`${entry.contractName}.${fn}`] = s.median;
}
const figures = JSON.parse(await readFile(figuresFile, 'utf8')) as Record<string, number>;

if (update) {
  await writeFile(baselineFile, `${JSON.stringify({ figures, functions }, null, 2)}\n`);
  console.log(`baseline updated: ${baselineFile}`);
  process.exit(0);
}

const baseline = JSON.parse(await readFile(baselineFile, 'utf8')) as { figures: Record<string, number>; functions: Record<string, number> };
let regressions = 0;
const rows: string[] = [];
const compare = (kind: string, current: Record<string, number>, base: Record<string, number>) => {
  for (const name of Object.keys({ ...base, ...current }).sort()) {
    const now = current[name];
    const was = base[name];
    const delta = now !== undefined && was !== undefined ? ((now - was) / was) * 100 : undefined;
    const bad = delta !== undefined && delta > TOLERANCE * 100;
    if (bad) regressions++;
    rows.push(
      `${bad ? '!!' : '  '} ${kind} ${name.padEnd(36)} ${String(now ?? '-').padStart(9)} ${String(was ?? '-').padStart(9)} ${delta === undefined ? '' : `${delta >= 0 ? '+' : ''}${delta.toFixed(2)}%`}`,
    );
  }
};
compare('fn ', functions, baseline.functions);
compare('fig', figures, baseline.figures);
console.log(`   kind name${' '.repeat(33)}   current  baseline  change`);
console.log(rows.join('\n'));
console.log(regressions === 0 ? 'gas: no regressions against the baseline' : `gas: ${regressions} regression(s) over ${TOLERANCE * 100}%`);
process.exit(regressions === 0 ? 0 : 1);
