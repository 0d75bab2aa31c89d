#!/usr/bin/env node
// `npm test`: every suite in turn, then one closing line `N passed, N failed, N skipped`
// summed over all of them. Lint and typecheck gate the run but are not counted as tests.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const only = process.argv.slice(2);
const suites = [
  { name: 'lint', gate: true, cmd: ['npm', 'run', '--silent', 'lint'] },
  { name: 'typecheck', gate: true, cmd: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'unit', cmd: ['npm', 'run', '--silent', 'test:unit'] },
  { name: 'contracts', cmd: ['npm', 'run', '--silent', 'test:contracts'], when: () => hasScript('test:contracts') },
  { name: 'e2e', cmd: ['npm', 'run', '--silent', 'test:e2e'], when: () => hasScript('test:e2e') },
];

function hasScript(name) {
  return existsSync('package.json') && Boolean(JSON.parse(readFileSync('package.json', 'utf8')).scripts?.[name]);
}

/** Reads the pass/fail/skip counts a runner printed (node:test spec or TAP, Playwright). */
function countsFrom(output) {
  const last = (re) => {
    const all = [...output.matchAll(re)];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  // node:test: "ℹ pass 12" (spec) or "# pass 12" (tap); Playwright: "  12 passed (3.1s)".
  const node = /^[ℹ#] (pass|fail|skipped)/m.test(output);
  if (node) {
    return { passed: last(/^[ℹ#] pass (\d+)/gm), failed: last(/^[ℹ#] fail (\d+)/gm), skipped: last(/^[ℹ#] skipped (\d+)/gm) };
  }
  return { passed: last(/^\s*(\d+) passed/gm), failed: last(/^\s*(\d+) failed/gm), skipped: last(/^\s*(\d+) skipped/gm) };
}

function run(cmd) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      output += d;
      process.stderr.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const total = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite.name)) continue;
  if (suite.when && !suite.when()) continue;
  process.stdout.write(`\n=== ${suite.name} ===\n`);
  const { code, output } = await run(suite.cmd);
  if (suite.gate) {
    if (code !== 0) problems.push(`${suite.name} failed`);
    continue;
  }
  const counts = countsFrom(output);
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  if (code !== 0 && counts.failed === 0) {
    // A suite that crashed before reporting still counts as a failure.
    total.failed += 1;
    problems.push(`${suite.name} exited with code ${code}`);
  } else if (counts.failed > 0) {
    problems.push(`${suite.name}: ${counts.failed} failed`);
  }
  process.stdout.write(`--- ${suite.name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
}
if (problems.length > 0) process.stdout.write(`\nProblems: ${problems.join('; ')}\n`);
if (problems.length > 0 && total.failed === 0) total.failed = problems.length;
process.stdout.write(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(problems.length > 0 ? 1 : 0);
