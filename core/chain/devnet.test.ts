import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { JsonRpcProvider, Wallet, parseEther } from 'ethers';
import { devAccounts, startDevnet, startProtocolDevnet } from './devnet.ts';

describe('devnet', () => {
  it('derives the well-known dev accounts', () => {
    const accounts = devAccounts();
    assert.equal(accounts.length, 20);
    // Published by Hardhat and Anvil for account #0 of the default mnemonic.
    assert.equal(accounts[0]?.address, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    assert.equal(accounts[0]?.privateKey, '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
    for (const account of accounts) assert.equal(new Wallet(account.privateKey).address, account.address);
  });

  it('starts a node on 127.0.0.1 that funds the dev accounts, then stops it', async () => {
    const devnet = await startDevnet();
    try {
      assert.match(devnet.rpcUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(devnet.chainId, 31337);
      const provider = new JsonRpcProvider(devnet.rpcUrl, devnet.chainId, { staticNetwork: true });
      const nodeAccounts = (await provider.send('eth_accounts', [])) as string[];
      assert.deepEqual(
        nodeAccounts.map((a) => a.toLowerCase()),
        devnet.accounts.map((a) => a.address.toLowerCase()),
      );
      const sender = new Wallet(devnet.accounts[1]!.privateKey, provider);
      const receipt = await (await sender.sendTransaction({ to: devnet.accounts[2]!.address, value: parseEther('1') })).wait();
      assert.equal(receipt?.status, 1);
      assert.equal(await provider.getBalance(devnet.accounts[2]!.address), parseEther('10001'));
      provider.destroy();
    } finally {
      await devnet.stop();
    }
    await devnet.stop(); // idempotent
    await assert.rejects(fetch(devnet.rpcUrl, { method: 'POST', body: '{}' }));
  });

  it('reports a clear error when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    assert.ok(typeof address === 'object' && address !== null);
    try {
      await assert.rejects(startDevnet({ port: address.port, startTimeoutMs: 30_000 }), (error: unknown) => {
        const code = (error as { code?: string }).code;
        return code === 'devnet_exited' || code === 'devnet_timeout';
      });
    } finally {
      blocker.close();
    }
  });

  it('can come up with the protocol deployed', async () => {
    const devnet = await startProtocolDevnet();
    try {
      const provider = new JsonRpcProvider(devnet.rpcUrl, devnet.chainId, { staticNetwork: true });
      assert.equal(devnet.deployment.chainId, devnet.chainId);
      assert.notEqual(await provider.getCode(devnet.deployment.token), '0x');
      assert.notEqual(await provider.getCode(devnet.deployment.markets[0]!.address), '0x');
      provider.destroy();
    } finally {
      await devnet.stop();
    }
  });
});
