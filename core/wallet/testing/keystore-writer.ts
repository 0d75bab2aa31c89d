/**
 * Child process for the crash test: rewrites the wallet file in a loop (metadata changes
 * and, every third round, a full re-encryption with a new salt) until it is killed.
 * argv: <dataDir> <password> <scryptN>
 */
import { decryptKeystoreJson, encryptKeystoreJson } from 'ethers';
import { loadWalletFile, saveWalletFile } from '../keystore-file.ts';
import { useNativeScrypt } from '../scrypt.ts';

const [dataDir, password, n] = process.argv.slice(2) as [string, string, string];
useNativeScrypt();

let round = 0;
process.stdout.write('ready\n');
for (;;) {
  const loaded = await loadWalletFile(dataDir);
  if (!loaded) throw new Error('no wallet to rewrite');
  const file = loaded.file;
  let keystore = file.keystore;
  if (round % 3 === 0) {
    const account = await decryptKeystoreJson(keystore, password);
    keystore = await encryptKeystoreJson(account, password, { scrypt: { N: Number(n) } });
  }
  const accounts = file.accounts.map((a) => ({ ...a, label: `Account ${a.index + 1} (${round})` }));
  await saveWalletFile(dataDir, { ...file, accounts, keystore }, async (written) => (await decryptKeystoreJson(written.keystore, password)).address === file.address);
  round++;
}

