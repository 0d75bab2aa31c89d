import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEther } from 'ethers';
import { demoParams } from '../../../common/contracts/params.ts';
import { generateInputs } from '../../../core/requester/generated-inputs.ts';
import { createModelRunner } from '../../../core/requester/model-runner.ts';
import { startProtocolDevnet } from '../../../core/chain/devnet.ts';
import { scriptedProvider } from '../../../core/requester/testing/scripted-provider.ts';
import { encodeNpy } from '../../../core/worker/tensor-files.ts';
import { main } from '../main.ts';

async function hearth(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-request-'));
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t), env: { PATH: process.env.PATH ?? '', HEARTH_DATA_DIR: dataDir, ...env } });
  return { code, out, err };
}

test('hearth request refuses incomplete or unsafe arguments with exit 2', async () => {
  assert.equal((await hearth(['request', '--model', 'paddleocr-cls-v2'])).code, 2);
  const noRpc = await hearth(['request', '--model', 'paddleocr-cls-v2', '--input', 'x.npy', '--max-price', '0.02']);
  assert.equal(noRpc.code, 2);
  assert.match(noRpc.err, /Hearth is not running for .*pass --rpc and --addresses/, 'no Hearth running: its local devnet cannot be used');
  const half = await hearth(['request', '--model', 'paddleocr-cls-v2', '--input', 'x.npy', '--max-price', '0.02', '--rpc', 'http://127.0.0.1:1']);
  assert.equal(half.code, 2);
  assert.match(half.err, /--rpc and --addresses together/);
  const emptyKey = await hearth(['request', '--model', 'm', '--input', 'x.npy', '--max-price', '1', '--rpc', 'http://127.0.0.1:1', '--addresses', 'a.json', '--key-env', 'NOPE']);
  assert.equal(emptyKey.code, 2);
  assert.match(emptyKey.err, /NOPE/);
  assert.equal((await hearth(['request', '--key', '0xabc'])).code, 2, 'no --key flag: keys never go on argv');
});

test('hearth request posts a job on the devnet, verifies the result and settles (exit 0)', async () => {
  const params = demoParams();
  params.markets = params.markets.map((m) => ({ ...m, challengeWindow: 4, maxJobDuration: 60 }));
  const devnet = await startProtocolDevnet({ params, blockTimeSeconds: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'hearth-request-'));
  const runner = createModelRunner({ cacheDir: join(dir, 'cache'), threads: 1 });
  const provider = await scriptedProvider({ rpcUrl: devnet.rpcUrl, deployment: devnet.deployment, key: devnet.accounts[5]!.privateKey, classLabel: 'cpu', runner, stake: parseEther('200') });
  try {
    // The CLI's default devnet account needs tokens first.
    const requester = devnet.accounts[3]!;
    await provider.chain.send(() => provider.chain.faucet!.getFunction('drip')(requester.address) as never);
    const addresses = join(dir, 'addresses.json');
    writeFileSync(addresses, JSON.stringify(devnet.deployment));
    const input = join(dir, 'x.npy');
    writeFileSync(input, encodeNpy(generateInputs('paddleocr-cls-v2', 42, 2).x!));
    const market = provider.chain.market('cpu').contract;
    const before = BigInt(await market.getFunction('nextJobId')());
    const running = hearth(['request', '--model', 'paddleocr-cls-v2', '--input', input, '--units', '2', '--max-price', '0.02', '--rpc', devnet.rpcUrl, '--addresses', addresses, '--deadline-s', '30', '--json']);
    while (BigInt(await market.getFunction('nextJobId')()) === before) await new Promise((r) => setTimeout(r, 200));
    await provider.work(before, 'honest');
    const result = await running;
    assert.equal(result.code, 0, result.err);
    const summary = JSON.parse(result.out) as { status: string; verified: boolean; provider: string; paid: string; refund: string };
    assert.equal(summary.status, 'settled');
    assert.equal(summary.verified, true);
    assert.equal(summary.provider, provider.address);
    assert.equal(Number(summary.paid) + Number(summary.refund), 0.04);
    assert.match(result.err, /public test key/);

    // A wrong result: disputed, the arbiter (dev account 0) finds the provider at fault, exit 1.
    const next = BigInt(await market.getFunction('nextJobId')());
    const disputing = hearth(['request', '--model', 'paddleocr-cls-v2', '--input', input, '--max-price', '0.02', '--rpc', devnet.rpcUrl, '--addresses', addresses, '--deadline-s', '30']);
    while (BigInt(await market.getFunction('nextJobId')()) === next) await new Promise((r) => setTimeout(r, 200));
    await provider.work(next, 'wrong-outputs');
    const disputed = await disputing;
    assert.equal(disputed.code, 1, disputed.err);
    assert.match(disputed.out, /result {4}disputed: .*disagree/);
    assert.match(disputed.out, /ruling {4}provider at fault/);
  } finally {
    provider.close();
    await runner.stop();
    await devnet.stop();
  }
});
