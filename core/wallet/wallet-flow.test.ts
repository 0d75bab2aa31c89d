import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HDNodeWallet, decryptKeystoreJson } from 'ethers';
import { createProvider, type Provider } from '../provider.ts';
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
let data: { dir: string; remove: () => Promise<void> };

async function call(channel: string, payload: unknown = {}): Promise<{ ok: boolean; value?: any; code?: string; message?: string }> {
  const envelope = await provider.dispatch(channel, payload);
  outputs.push({ channel, text: JSON.stringify(envelope) });
  return envelope as never;
}
async function ok(channel: string, payload: unknown = {}): Promise<any> {
  const envelope = await call(channel, payload);
  assert.equal(envelope.ok, true, `${channel} failed: ${envelope.code} ${envelope.message}`);
  return envelope.value;
}
async function fails(channel: string, payload: unknown, code: string): Promise<string> {
  const envelope = await call(channel, payload);
  assert.equal(envelope.ok, false, `${channel} should have failed with ${code}`);
  assert.equal(envelope.code, code, `${channel}: ${envelope.message}`);
  assert.ok(envelope.message && envelope.message.length > 20, 'an actionable sentence');
  return envelope.message!;
}
async function start(): Promise<void> {
  provider = await createProvider(testPorts(data.dir));
  provider.onEvent((channel, payload) => events.push(`${channel} ${JSON.stringify(payload)}`));
  await waitFor(async () => {
    const s = await ok('chain:status');
    if (s.devnet.state === 'failed') throw new Error(`devnet failed: ${s.devnet.error}`);
    return s.connection === 'ready' && s.devnet.state === 'ready' ? s : undefined;
  }, 'devnet ready', 90_000);
}

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
    const s = await ok('wallet:status');
    assert.equal(s.exists, false);
    assert.equal(s.locked, true);
    assert.equal(s.networkId, 'devnet');
    await fails('wallet:unlock', { password }, 'no_wallet');
  });

  await t.test('create shows the mnemonic once and saves only after confirmation', async () => {
    await fails('wallet:create', { password: 'short' }, 'bad_input');
    const created = await ok('wallet:create', { password });
    mnemonic = created.mnemonic;
    assert.equal(mnemonic.split(' ').length, 12);
    assert.equal(created.confirmWords.length, 3);
    const words = mnemonic.split(' ');
    assert.equal((await ok('wallet:status')).exists, false, 'nothing saved before confirmation');
    await fails('wallet:confirm', { words: ['wrong', 'words', 'here'] }, 'backup_mismatch');
    assert.equal((await ok('wallet:status')).exists, false);
    const s = await ok('wallet:confirm', { words: created.confirmWords.map((i: number) => words[i]) });
    firstAddress = HDNodeWallet.fromPhrase(mnemonic).address;
    assert.equal(s.exists, true);
    assert.equal(s.locked, false);
    assert.equal(s.selected, firstAddress);
    assert.ok(s.autoLockAt > Date.now());
    await fails('wallet:create', { password }, 'wallet_exists');
    await fails('wallet:import', { kind: 'mnemonic', mnemonic, password }, 'wallet_exists');
  });

  await t.test('test funds arrive and show as a balance', async () => {
    const sent = await ok('wallet:get-test-funds');
    assert.ok(sent.length >= 1);
    const s = await waitFor(async () => {
      const st = await ok('wallet:status');
      const native = st.balances.find((b: any) => b.asset === 'native');
      return native && BigInt(native.balance) > 0n ? st : undefined;
    }, 'funded balance');
    assert.equal(s.balances[0].balance, (10n ** 19n).toString());
    const token = await waitFor(async () => {
      const st = await ok('wallet:status');
      const found = st.balances.find((b: any) => b.symbol === 'HRTH');
      return found && BigInt(found.balance) > 0n ? found : undefined;
    }, 'token balance from the devnet faucet');
    assert.equal(token.balance, (10_000n * 10n ** 18n).toString());
  });

  await t.test('send tokens: checked, previewed, confirmed', async () => {
    const st = await ok('wallet:status');
    const token = st.balances.find((b: any) => b.symbol === 'HRTH');
    await fails('wallet:send', { to: recipient, amount: '10001', asset: token.asset }, 'insufficient_funds');
    const preview = await ok('wallet:preview-send', { to: recipient, amount: '250.5', asset: token.asset });
    assert.equal(preview.symbol, 'HRTH');
    assert.ok(Number(preview.gasLimit) > 21_000);
    const tx = await ok('wallet:send', { to: recipient, amount: '250.5', asset: token.asset });
    await waitFor(async () => ((await ok('chain:transactions')).find((x: any) => x.id === tx.id)?.status === 'confirmed' ? true : undefined), 'token send confirmed');
    const after = await waitFor(async () => {
      const b = (await ok('wallet:status')).balances.find((x: any) => x.symbol === 'HRTH');
      return b.balance !== token.balance ? b : undefined;
    }, 'token balance update');
    assert.equal(BigInt(after.balance), BigInt(token.balance) - 2505n * 10n ** 17n);
  });

  await t.test('bad send input is refused with stable codes', async () => {
    await fails('wallet:preview-send', { to: recipient.toLowerCase(), amount: '1' }, 'address_not_checksummed');
    const broken = recipient.slice(0, -1) + (recipient.endsWith('a') ? 'b' : 'a');
    const mixed = broken.slice(0, 2) + broken.slice(2, 6).toUpperCase() + broken.slice(6);
    await fails('wallet:preview-send', { to: mixed, amount: '1' }, 'bad_checksum');
    await fails('wallet:preview-send', { to: 'vitalik.eth', amount: '1' }, 'bad_address');
    await fails('wallet:preview-send', { to: recipient, amount: 'abc' }, 'bad_amount');
    await fails('wallet:preview-send', { to: recipient, amount: '0' }, 'bad_amount');
    await fails('wallet:preview-send', { to: recipient, amount: '1000' }, 'insufficient_funds');
    await fails('wallet:preview-send', { to: recipient, amount: '10' }, 'insufficient_funds');
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
      const list = await ok('chain:transactions');
      const found = list.find((x: any) => x.id === tx.id);
      return found?.status === 'confirmed' ? found : undefined;
    }, 'send confirmed');
    assert.ok(done.blockNumber > 0);
  });

  await t.test('several accounts from one mnemonic', async () => {
    const s = await ok('wallet:add-account', { label: 'Savings' });
    assert.equal(s.accounts.length, 2);
    assert.equal(s.accounts[1].address, HDNodeWallet.fromPhrase(mnemonic, undefined, "m/44'/60'/0'/0/1").address);
    const back = await ok('wallet:select-account', { address: firstAddress });
    assert.equal(back.selected, firstAddress);
  });

  await t.test('lock, refuse while locked, wrong password, unlock', async () => {
    const locked = await ok('wallet:lock');
    assert.equal(locked.locked, true);
    await fails('wallet:send', { to: recipient, amount: '0.1' }, 'wallet_locked');
    await fails('wallet:unlock', { password: 'not the password' }, 'wrong_password');
    const unlocked = await ok('wallet:unlock', { password });
    assert.equal(unlocked.locked, false);
  });

  await t.test('export gives a keystore that decrypts to the same wallet', async () => {
    await fails('wallet:export', { password: 'wrong password' }, 'wrong_password');
    const exported = await ok('wallet:export', { password });
    const account = await decryptKeystoreJson(exported.json, password);
    assert.equal(account.address, firstAddress);
  });

  await t.test('custom network with the wrong chain id is refused, nothing saved', async () => {
    const rpcUrl = (await ok('chain:status')).network.rpcUrls[0];
    await fails('chain:add-network', { name: 'Wrong', chainId: 1, rpcUrls: [rpcUrl] }, 'wrong_chain');
    const networks = await ok('chain:networks');
    assert.equal(networks.length, 1);
    assert.equal((await ok('settings:get')).wallet.networks.length, 0);
  });

  await t.test('restart: locked, same accounts, history kept, unlock works', async () => {
    const before = await ok('wallet:status');
    const history = await ok('chain:transactions');
    await provider.stop();
    await start();
    const after = await ok('wallet:status');
    assert.equal(after.locked, true);
    assert.deepEqual(after.accounts, before.accounts);
    assert.equal(after.selected, before.selected);
    const again = await ok('chain:transactions');
    assert.deepEqual(again.map((x: any) => x.id), history.map((x: any) => x.id));
    assert.equal((await ok('wallet:unlock', { password })).locked, false);
    // The devnet is a fresh node after a restart; the journal replay restores the balances.
    const restored = await waitFor(async () => {
      const st = await ok('wallet:status');
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
