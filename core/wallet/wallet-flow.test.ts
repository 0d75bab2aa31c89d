import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HDNodeWallet, decryptKeystoreJson } from 'ethers';
import { createProvider, type Provider } from '../provider.ts';
import { contract, type HearthContract } from '../../common/ipc/contract.ts';
import { createClient, type HearthClient } from '../../common/ipc/client.ts';
import type { CallInput, CallName } from '../../common/ipc/define.ts';
import { createMemoryPair } from '../../common/ipc/memory-transport.ts';
import type { WalletStatus } from '../../common/ipc/groups/wallet.ts';
import { devAccounts } from '../chain/devnet.ts';
import { tempDir, testPorts, waitFor } from './testing/harness.ts';

/**
 * The whole wallet flow through the real provider and dispatcher, on a real local node
 * started by the wallet capability itself (the default run). Every envelope and event is
 * recorded so the last test can prove no key material crossed IPC.
 */
const outputs: { channel: string; text: string }[] = [];
const events: string[] = [];
let provider: Provider;
let client: HearthClient<HearthContract>;
let data: { dir: string; remove: () => Promise<void> };

const ok = <K extends CallName<HearthContract>>(channel: K, input: CallInput<HearthContract, K>) => client.call(channel, input);

async function fails(action: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(action, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, code, error.message);
    assert.ok(error.message && error.message.length > 20, 'an actionable sentence');
    return true;
  });
}

async function start(): Promise<void> {
  provider = await createProvider(testPorts(data.dir));
  // The same hop as a real shell: envelopes and events cross a structured-clone boundary.
  const pair = createMemoryPair(async (channel, payload) => {
    const envelope = await provider.dispatch(channel, payload);
    outputs.push({ channel: String(channel), text: JSON.stringify(envelope) });
    return envelope;
  });
  client = createClient(contract, pair.client);
  provider.onEvent((channel, payload) => {
    events.push(`${channel} ${JSON.stringify(payload)}`);
    pair.emit(channel, payload);
  });
  await waitFor(async () => {
    const s = await ok('chain:status', {});
    if (s.devnet.state === 'failed') throw new Error(`devnet failed: ${s.devnet.error ?? ''}`);
    return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
  }, 'devnet ready', 90_000);
}

const symbolBalance = (s: WalletStatus, symbol: string) => s.balances.find((b) => b.symbol === symbol);

const password = 'correct horse battery';
let mnemonic = '';
let firstAddress = '';
const recipient = devAccounts()[5]!.address;

test('wallet flow through the dispatcher on a real devnet', { timeout: 240_000 }, async (t) => {
  data = await tempDir();
  t.after(async () => {
    await provider?.stop();
    await data.remove();
  });
  await start();

  await t.test('starts with no wallet, locked', async () => {
    const s = await ok('wallet:status', {});
    assert.equal(s.exists, false);
    assert.equal(s.locked, true);
    assert.equal(s.networkId, 'devnet');
    await fails(ok('wallet:unlock', { password }), 'no_wallet');
  });

  await t.test('create shows the mnemonic once and saves only after confirmation', async () => {
    await fails(ok('wallet:create', { password: 'short' }), 'bad_input');
    const created = await ok('wallet:create', { password });
    mnemonic = created.mnemonic;
    assert.equal(mnemonic.split(' ').length, 12);
    assert.equal(created.confirmWords.length, 3);
    const words = mnemonic.split(' ');
    assert.equal((await ok('wallet:status', {})).exists, false, 'nothing saved before confirmation');
    await fails(ok('wallet:confirm', { words: ['wrong', 'words', 'here'] }), 'backup_mismatch');
    assert.equal((await ok('wallet:status', {})).exists, false);
    const s = await ok('wallet:confirm', { words: created.confirmWords.map((i) => words[i]!) });
    firstAddress = HDNodeWallet.fromPhrase(mnemonic).address;
    assert.equal(s.exists, true);
    assert.equal(s.locked, false);
    assert.equal(s.selected, firstAddress);
    assert.ok((s.autoLockAt ?? 0) > Date.now());
    await fails(ok('wallet:create', { password }), 'wallet_exists');
    await fails(ok('wallet:import', { kind: 'mnemonic', mnemonic, password }), 'wallet_exists');
  });

  await t.test('test funds arrive and show as a balance', async () => {
    const sent = await ok('wallet:get-test-funds', {});
    assert.ok(sent.length >= 1);
    const s = await waitFor(async () => {
      const st = await ok('wallet:status', {});
      const native = st.balances.find((b) => b.asset === 'native');
      return native && BigInt(native.balance) > 0n ? st : undefined;
    }, 'funded balance');
    assert.equal(s.balances[0]!.balance, (10n ** 19n).toString());
    const token = await waitFor(async () => {
      const st = await ok('wallet:status', {});
      const found = symbolBalance(st, 'HRTH');
      return found && BigInt(found.balance) > 0n ? found : undefined;
    }, 'token balance from the devnet faucet');
    assert.equal(token.balance, (10_000n * 10n ** 18n).toString());
  });

  await t.test('send tokens: checked, previewed, confirmed', async () => {
    const st = await ok('wallet:status', {});
    const token = symbolBalance(st, 'HRTH')!;
    await fails(ok('wallet:send', { to: recipient, amount: '10001', asset: token.asset }), 'insufficient_funds');
    const preview = await ok('wallet:preview-send', { to: recipient, amount: '250.5', asset: token.asset });
    assert.equal(preview.symbol, 'HRTH');
    assert.ok(Number(preview.gasLimit) > 21_000);
    const tx = await ok('wallet:send', { to: recipient, amount: '250.5', asset: token.asset });
    await waitFor(async () => ((await ok('chain:transactions', {})).find((x) => x.id === tx.id)?.status === 'confirmed' ? true : undefined), 'token send confirmed');
    const after = await waitFor(async () => {
      const b = symbolBalance(await ok('wallet:status', {}), 'HRTH');
      return b && b.balance !== token.balance ? b : undefined;
    }, 'token balance update');
    assert.equal(BigInt(after.balance), BigInt(token.balance) - 2505n * 10n ** 17n);
  });

  await t.test('bad send input is refused with stable codes', async () => {
    await fails(ok('wallet:preview-send', { to: recipient.toLowerCase(), amount: '1' }), 'address_not_checksummed');
    const broken = recipient.slice(0, -1) + (recipient.endsWith('a') ? 'b' : 'a');
    const mixed = broken.slice(0, 2) + broken.slice(2, 6).toUpperCase() + broken.slice(6);
    await fails(ok('wallet:preview-send', { to: mixed, amount: '1' }), 'bad_checksum');
    await fails(ok('wallet:preview-send', { to: 'vitalik.eth', amount: '1' }), 'bad_address');
    await fails(ok('wallet:preview-send', { to: recipient, amount: 'abc' }), 'bad_amount');
    await fails(ok('wallet:preview-send', { to: recipient, amount: '0' }), 'bad_amount');
    await fails(ok('wallet:preview-send', { to: recipient, amount: '1000' }), 'insufficient_funds');
    await fails(ok('wallet:preview-send', { to: recipient, amount: '10' }), 'insufficient_funds');
  });

  await t.test('send: preview, then confirm, then confirmed on chain', async () => {
    const preview = await ok('wallet:preview-send', { to: recipient, amount: '1.25' });
    assert.equal(preview.to, recipient);
    assert.equal(preview.amount, (125n * 10n ** 16n).toString());
    assert.ok(Number(preview.gasLimit) >= 21_000 && Number(preview.gasLimit) < 30_000);
    assert.ok(BigInt(preview.maxFeeWei) >= BigInt(preview.estimatedFeeWei));
    const tx = await ok('wallet:send', { to: recipient, amount: '1.25' });
    assert.equal(tx.from, firstAddress);
    const done = await waitFor(async () => {
      const list = await ok('chain:transactions', {});
      const found = list.find((x) => x.id === tx.id);
      return found?.status === 'confirmed' ? found : undefined;
    }, 'send confirmed');
    assert.ok((done.blockNumber ?? 0) > 0);
  });

  await t.test('several accounts from one mnemonic', async () => {
    const s = await ok('wallet:add-account', { label: 'Savings' });
    assert.equal(s.accounts.length, 2);
    assert.equal(s.accounts[1]!.address, HDNodeWallet.fromPhrase(mnemonic, undefined, "m/44'/60'/0'/0/1").address);
    const back = await ok('wallet:select-account', { address: firstAddress });
    assert.equal(back.selected, firstAddress);
  });

  await t.test('lock, refuse while locked, wrong password, unlock', async () => {
    const locked = await ok('wallet:lock', {});
    assert.equal(locked.locked, true);
    await fails(ok('wallet:send', { to: recipient, amount: '0.1' }), 'wallet_locked');
    await fails(ok('wallet:unlock', { password: 'not the password' }), 'wrong_password');
    const unlocked = await ok('wallet:unlock', { password });
    assert.equal(unlocked.locked, false);
  });

  await t.test('export gives a keystore that decrypts to the same wallet', async () => {
    await fails(ok('wallet:export', { password: 'wrong password' }), 'wrong_password');
    const exported = await ok('wallet:export', { password });
    const account = await decryptKeystoreJson(exported.json, password);
    assert.equal(account.address, firstAddress);
  });

  await t.test('custom network with the wrong chain id is refused, nothing saved', async () => {
    const rpcUrl = (await ok('chain:status', {})).network.rpcUrls[0]!;
    await fails(ok('chain:add-network', { name: 'Wrong', chainId: 1, rpcUrls: [rpcUrl] }), 'wrong_chain');
    const networks = await ok('chain:networks', {});
    assert.equal(networks.length, 1);
    assert.equal((await ok('settings:get', {})).wallet.networks.length, 0);
  });

  await t.test('restart: locked, same accounts, history kept, unlock works', async () => {
    const before = await ok('wallet:status', {});
    const history = await ok('chain:transactions', {});
    await provider.stop();
    await start();
    const after = await ok('wallet:status', {});
    assert.equal(after.locked, true);
    assert.deepEqual(after.accounts, before.accounts);
    assert.equal(after.selected, before.selected);
    const again = await ok('chain:transactions', {});
    assert.deepEqual(again.map((x) => x.id), history.map((x) => x.id));
    assert.equal((await ok('wallet:unlock', { password })).locked, false);
    // The devnet kept its state in the data folder: the balances are there after a restart.
    const restored = await waitFor(async () => {
      const st = await ok('wallet:status', {});
      return JSON.stringify(st.balances) === JSON.stringify(before.balances) ? st : undefined;
    }, 'balances as before the restart', 20_000);
    assert.ok(restored.balances.length >= 2);
  });

  await t.test('no key material ever crossed IPC after the one-time mnemonic display', async () => {
    const file = JSON.parse(await readFile(join(data.dir, 'wallet', 'keystore.json'), 'utf8'));
    const inner = JSON.parse(file.keystore);
    const secrets = [
      mnemonic,
      ...mnemonic.split(' ').slice(0, 1).map((w) => `${w} ${mnemonic.split(' ')[1]}`),
      (inner.Crypto ?? inner.crypto).ciphertext,
      file.keystore,
      HDNodeWallet.fromPhrase(mnemonic).privateKey.slice(2),
      HDNodeWallet.fromPhrase(mnemonic, undefined, "m/44'/60'/0'/0/1").privateKey.slice(2),
    ];
    const createIndex = outputs.findIndex((o) => o.channel === 'wallet:create' && o.text.includes('"ok":true'));
    assert.ok(createIndex >= 0);
    assert.ok(outputs[createIndex]!.text.includes(mnemonic), 'the one-time display did carry it');
    const rest = [...outputs.filter((_, i) => i !== createIndex).map((o) => o.text), ...events];
    assert.ok(rest.length > 30);
    for (const text of rest) {
      for (const secret of secrets) assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `secret leaked in: ${text.slice(0, 120)}`);
    }
  });
});
