import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import type { PositionsView } from '../../../common/ipc/groups/positions.ts';
import { tempDir, waitFor } from '../../../core/test-support.ts';
import { connectToRunning } from '../connect.ts';
import { main } from '../main.ts';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'hearth.mjs');

async function hearth(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    env: { PATH: process.env.PATH ?? '', HEARTH_FROM_SOURCES: '1', ...env },
  });
  return { code, out, err };
}

test('hearth positions says plainly when nothing is running (exit 3) and refuses unknown options (exit 2)', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const result = await hearth(['positions', '--data-dir', dir]);
    assert.equal(result.code, 3);
    assert.match(result.err, /not running/);
    assert.equal((await hearth(['positions', '--bogus'], { HEARTH_DATA_DIR: dir })).code, 2);
    assert.match((await hearth(['--help'])).out, /positions\s+Show the staking, lending, pool and liquidity positions/);
  } finally {
    await cleanup();
  }
});

test('hearth positions prints the running daemon’s view of the account on the local chain', { timeout: 180_000 }, async () => {
  const { dir, cleanup } = await tempDir('hearth-positions-cli-');
  const child = spawn(process.execPath, [bin, 'daemon', '--data-dir', dir], {
    env: { ...process.env, HEARTH_FROM_SOURCES: '1', HEARTH_SIMULATOR: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/Hearth ready at/.test(out)) resolve();
      });
      child.once('exit', (code) => reject(new Error(`daemon exited early with ${code}`)));
    });
    const none = await hearth(['positions', '--json', '--data-dir', dir]);
    assert.equal(none.code, 0, none.err);
    assert.match((JSON.parse(none.out) as PositionsView).missing[0]!.reason, /no wallet yet/);

    const connection = await connectToRunning(dir);
    try {
      const { client } = connection;
      await waitFor(
        async () => {
          const s = await client.call('chain:status', {});
          return s.connection === 'ready' && s.devnet.state === 'ready' && s.devnet.contracts ? true : undefined;
        },
        'the local chain with the protocol',
        90_000,
      );
      await client.call('wallet:import', {
        kind: 'privateKey',
        privateKey: Wallet.createRandom().privateKey,
        password: 'correct horse battery',
      });
      await client.call('wallet:get-test-funds', {});
      await waitFor(
        async () => ((await client.call('positions:get', {})).tokenBalanceWei !== '0' ? true : undefined),
        'test funds',
        30_000,
      );
      await client.call('positions:act', { kind: 'stake', classLabel: 'cpu', amount: '120' });
      await client.call('positions:act', { kind: 'add-liquidity', amount: '50', slippageBps: 100 });

      const json = await hearth(['positions', '--json', '--data-dir', dir]);
      assert.equal(json.code, 0, json.err);
      const view = JSON.parse(json.out) as PositionsView;
      const direct = await client.call('positions:get', {});
      assert.equal(view.address, direct.address);
      assert.equal(view.staking!.totalWei, (120n * 10n ** 18n).toString());
      assert.equal(view.liquidity!.lpBalance, direct.liquidity!.lpBalance);
      assert.equal(view.priceEthPerToken, direct.priceEthPerToken);

      const text = await hearth(['positions', '--data-dir', dir]);
      assert.equal(text.code, 0, text.err);
      assert.match(text.out, /^Positions of 0x[0-9a-fA-F]{40} on chain 31337 at block \d+/);
      assert.match(text.out, /Staking: 120 HRTH \(0\.012 ETH\)/);
      assert.match(text.out, /cpu\s+120 HRTH active \(min 100 HRTH\)/);
      assert.match(text.out, /Liquidity: 0\.01 ETH/);
      assert.match(text.out, /Total: [\d,.]+ HRTH \([\d,.]+ ETH\)/);
      // The demo deployment has every kind: the vault and the pool show with their figures.
      assert.match(text.out, /Lending: 0 HRTH lent \(0 ETH\)/);
      assert.match(text.out, /health factor\s+no debt/);
      assert.match(text.out, /Fee pool: 0 HRTH \(0 ETH\), APY —/);
      // A tiny share of the pair is still said with its size, not rounded to 0.00 %.
      assert.match(text.out, /Liquidity: 0\.01 ETH, 0\.0050 % of the HRTH\/ETH pool/);
    } finally {
      connection.close();
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    child.kill('SIGKILL');
    await cleanup();
  }
});
