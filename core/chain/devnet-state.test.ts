import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonRpcProvider, Wallet, parseEther } from 'ethers';
import type { Logger } from '../ports.ts';
import { startDevnet, startProtocolDevnet, type Devnet } from './devnet.ts';

// Real Anvil, real chain time: these tests wait for blocks and state dumps on purpose.

function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function providerOf(devnet: Devnet): JsonRpcProvider {
  return new JsonRpcProvider(devnet.rpcUrl, devnet.chainId, { staticNetwork: true });
}

async function transfer(devnet: Devnet, to: string, ether: string): Promise<void> {
  const provider = providerOf(devnet);
  const sender = new Wallet(devnet.accounts[1]!.privateKey, provider);
  const receipt = await (await sender.sendTransaction({ to, value: parseEther(ether) })).wait();
  assert.equal(receipt?.status, 1);
  provider.destroy();
}

async function balanceOf(devnet: Devnet, address: string): Promise<bigint> {
  const provider = providerOf(devnet);
  try {
    return await provider.getBalance(address);
  } finally {
    provider.destroy();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('devnet state', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'hearth-devnet-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps balances and the deployed protocol across a stop and start, without redeploying', async () => {
    const stateDir = join(root, 'restart');
    const started = Date.now();
    const first = await startProtocolDevnet({ stateDir });
    const firstStart = Date.now() - started;
    const recipient = first.accounts[7]!.address;
    const deployerNonce = async (d: Devnet) => {
      const provider = providerOf(d);
      const nonce = await provider.getTransactionCount(d.accounts[0]!.address);
      provider.destroy();
      return nonce;
    };
    let nonceBefore: number;
    try {
      // Anvil mines each transaction at once: the ~40 deploy transactions take seconds, not tens.
      assert.ok(firstStart < 15_000, `start and deploy took ${firstStart} ms`);
      await transfer(first, recipient, '3');
      nonceBefore = await deployerNonce(first);
    } finally {
      await first.stop(); // a clean stop writes the state file right away
    }
    const saved = JSON.parse(await readFile(join(stateDir, 'deployment.json'), 'utf8')) as unknown;
    assert.deepEqual(saved, first.deployment);

    const second = await startProtocolDevnet({ stateDir });
    try {
      assert.deepEqual(second.deployment, first.deployment);
      assert.equal(await deployerNonce(second), nonceBefore, 'nothing was deployed again');
      assert.equal(await balanceOf(second, recipient), parseEther('10003'));
      const provider = providerOf(second);
      assert.notEqual(await provider.getCode(second.deployment.token), '0x');
      for (const market of second.deployment.markets) assert.notEqual(await provider.getCode(market.address), '0x');
      provider.destroy();
    } finally {
      await second.stop();
    }
  });

  it('redeploys when the chain was lost but the addresses file remains', async () => {
    const stateDir = join(root, 'lost');
    const first = await startProtocolDevnet({ stateDir });
    await first.stop();
    await rm(join(stateDir, 'state.json'));
    await rm(join(stateDir, 'state.last-good.json'), { force: true });
    const logger = memoryLogger();
    const second = await startProtocolDevnet({ stateDir, logger });
    try {
      const provider = providerOf(second);
      assert.notEqual(await provider.getCode(second.deployment.token), '0x');
      provider.destroy();
      assert.ok(logger.lines.some((l) => l.includes('deploying the protocol') && l.includes('no contract at')), logger.lines.join('\n'));
    } finally {
      await second.stop();
    }
  });

  it('redeploys when the app was updated with other contracts or parameters, keeping the chain', async () => {
    const stateDir = join(root, 'updated');
    const first = await startProtocolDevnet({ stateDir });
    await first.stop();
    // An older build of the app wrote this file: its fingerprint is not this build's.
    await writeFile(join(stateDir, 'deployment.json.build'), 'an-older-build\n');
    const logger = memoryLogger();
    const second = await startProtocolDevnet({ stateDir, logger });
    try {
      assert.notEqual(second.deployment.staking, first.deployment.staking, 'a new protocol was deployed');
      assert.ok(logger.lines.some((l) => l.includes('contracts or their parameters changed')), logger.lines.join('\n'));
      assert.notEqual((await readFile(join(stateDir, 'deployment.json.build'), 'utf8')).trim(), 'an-older-build');
      const provider = providerOf(second);
      assert.notEqual(await provider.getCode(first.deployment.staking), '0x', 'the old contracts stay on the kept chain');
      provider.destroy();
    } finally {
      await second.stop();
    }
  });

  it('keeps what was dumped before Anvil itself is SIGKILLed', async () => {
    const stateDir = join(root, 'sigkill');
    let anvilPid: number | undefined;
    const first = await startDevnet({
      stateDir,
      stateIntervalSeconds: 1,
      onOutput: (line) => {
        const match = /anvil pid (\d+)/.exec(line);
        if (match) anvilPid = Number(match[1]);
      },
    });
    const recipient = first.accounts[8]!.address;
    try {
      await transfer(first, recipient, '5');
      await sleep(2_500); // past the state interval
      assert.ok(anvilPid);
      process.kill(anvilPid, 'SIGKILL');
    } finally {
      await first.stop(); // the guard has exited with Anvil; this only waits for it
    }
    const second = await startDevnet({ stateDir });
    try {
      assert.equal(await balanceOf(second, recipient), parseEther('10005'));
    } finally {
      await second.stop();
    }
  });

  it('moves a corrupt state file aside and starts anyway: from the last good copy, then fresh', async () => {
    const stateDir = join(root, 'corrupt');
    const first = await startDevnet({ stateDir });
    const recipient = first.accounts[9]!.address;
    await transfer(first, recipient, '2');
    await first.stop();
    // A second start makes the first run's state the last good copy.
    const second = await startDevnet({ stateDir });
    await second.stop();

    const cut = (await readFile(join(stateDir, 'state.json'), 'utf8')).slice(0, 500);
    await writeFile(join(stateDir, 'state.json'), cut); // a dump cut short by a kill
    const logger = memoryLogger();
    const third = await startDevnet({ stateDir, logger });
    try {
      assert.equal(await balanceOf(third, recipient), parseEther('10002'), 'restored from the last good copy');
    } finally {
      await third.stop();
    }
    assert.ok(logger.lines.some((l) => l.startsWith('warn') && l.includes('the last good copy')), logger.lines.join('\n'));

    await writeFile(join(stateDir, 'state.json'), 'not json');
    await rm(join(stateDir, 'state.last-good.json'));
    const fresh = await startDevnet({ stateDir, logger });
    try {
      assert.equal(await balanceOf(fresh, recipient), parseEther('10000'), 'a fresh chain');
    } finally {
      await fresh.stop();
    }
    const aside = (await readdir(stateDir)).filter((name) => name.startsWith('state.json.corrupt-'));
    assert.equal(aside.length, 2);
    assert.ok(logger.lines.some((l) => l.includes('a fresh chain')));
  });

  it('mines blocks on an idle chain, stamped with real time', async () => {
    const devnet = await startDevnet({ blockTimeSeconds: 1 });
    const provider = providerOf(devnet);
    try {
      const start = await provider.getBlockNumber();
      await sleep(3_200);
      const latest = await provider.getBlock('latest');
      assert.ok(latest);
      assert.ok(latest.number >= start + 2, `from ${start} to ${latest.number}`);
      assert.ok(Math.abs(latest.timestamp - Date.now() / 1000) < 5, 'block time follows the clock');
    } finally {
      provider.destroy();
      await devnet.stop();
    }
  });
});
