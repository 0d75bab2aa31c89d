// The deploy path the app and `npm run devnet` use, against a real JSON-RPC node on
// 127.0.0.1, followed by one whole job over the wire.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { JsonRpcProvider, NonceManager, Wallet, id } from 'ethers';
import { parseDeployment, type Deployment } from '../../common/contracts/addresses.ts';
import { attach, deployWithKey } from '../../common/contracts/deploy.ts';
import { demoParams } from '../../common/contracts/params.ts';
import { startDevnet, type Devnet } from '../../core/chain/devnet.ts';
import { repoRoot } from '../scripts/exports.ts';

const TOKEN = 10n ** 18n;
let devnet: Devnet;
let provider: JsonRpcProvider;

describe('deploy to a local devnet', () => {
  before(async () => {
    devnet = await startDevnet();
    provider = new JsonRpcProvider(devnet.rpcUrl, devnet.chainId, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  });
  after(async () => {
    provider.destroy();
    await devnet.stop();
  });

  let deployment: Deployment;
  it('deploys the protocol and returns a valid addresses file', async () => {
    deployment = await deployWithKey(devnet.rpcUrl, devnet.accounts[0]!.privateKey, { params: demoParams() });
    assert.equal(deployment.chainId, 31337);
    assert.equal(deployment.markets.length, 3);
    assert.deepEqual(parseDeployment(JSON.stringify(deployment)), deployment);
    for (const address of [deployment.token, deployment.staking, deployment.faucet!, ...deployment.markets.map((m) => m.address)]) {
      assert.notEqual(await provider.getCode(address), '0x');
    }
  });

  it('deploys the lending vault and fee pool, wired to the staking and every market', async () => {
    const c = attach(deployment, provider);
    assert.ok(deployment.lending && deployment.feePool);
    assert.equal(await c.staking.getFunction('lender')(), deployment.lending);
    for (const m of c.markets) assert.equal(await m.contract.getFunction('feeRecipient')(), deployment.feePool);
    const params = demoParams().lending!;
    // Seeded by the deployer so providers can borrow at once.
    assert.equal(await c.lending!.getFunction('totalAssets')(), params.seed);
    assert.equal(await c.lending!.getFunction('maxLtvBps')(), BigInt(params.maxLtvBps));
    assert.equal(await c.lending!.getFunction('borrowRate')(), 0n);
    assert.equal(await c.feePool!.getFunction('asset')(), deployment.token);
  });

  it('runs a job end to end over JSON-RPC with the exported ABIs', async () => {
    const requester = new NonceManager(new Wallet(devnet.accounts[1]!.privateKey, provider));
    const worker = new NonceManager(new Wallet(devnet.accounts[2]!.privateKey, provider));
    const c = attach(deployment, provider);
    const market = c.markets[1]!;
    const wait = async (p: Promise<{ wait(): Promise<unknown> }>) => (await p).wait();
    for (const s of [requester, worker]) {
      await wait(c.faucet!.connect(s).getFunction('drip')(await s.getAddress()));
      await wait(c.token.connect(s).getFunction('approve')(market.address, 2n ** 255n));
      await wait(c.token.connect(s).getFunction('approve')(deployment.staking, 2n ** 255n));
    }
    await wait(c.staking.connect(worker).getFunction('register')([market.classId], 'http://127.0.0.1:1'));
    await wait(c.staking.connect(worker).getFunction('stake')(market.classId, 100n * TOKEN));
    const block = await provider.getBlock('latest');
    const deadline = BigInt(block!.timestamp) + 300n;
    await wait(market.contract.connect(requester).getFunction('post')(id('model'), id('input'), 'file:///in', 10, TOKEN / 50n, deadline));
    const terms = { requester: await requester.getAddress(), units: 10n, maxPricePerUnit: TOKEN / 50n, deadline };
    await wait(market.contract.connect(worker).getFunction('claim')(1n, terms, 0n));
    await wait(market.contract.connect(worker).getFunction('commit')(1n, terms, id('result')));
    await provider.send('evm_increaseTime', [31]);
    await provider.send('evm_mine', []);
    const before = (await c.token.getFunction('balanceOf')(await worker.getAddress())) as bigint;
    await wait(market.contract.connect(worker).getFunction('settle')(1n, terms, id('result')));
    const paid = ((await c.token.getFunction('balanceOf')(await worker.getAddress())) as bigint) - before;
    assert.equal(paid, (10n * (TOKEN / 100n) * 95n) / 100n); // demo price 0.01, 5% fee
  });

  it('the deploy script writes the addresses file', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'hearth-deploy-')), 'addresses.json');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'contracts/scripts/deploy.ts', '--rpc', devnet.rpcUrl, '--out', out], {
      cwd: repoRoot,
    });
    const written = parseDeployment(await readFile(out, 'utf8'));
    assert.equal(written.chainId, 31337);
    assert.notEqual(await provider.getCode(written.staking), '0x');
  });
});
