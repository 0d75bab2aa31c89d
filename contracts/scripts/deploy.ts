// Deploys the protocol to any JSON-RPC chain and writes the deployment addresses file.
//
//   node --import tsx contracts/scripts/deploy.ts --rpc http://127.0.0.1:8545 [--params demo|production|file.json]
//        [--key 0x..] [--out path.json] [--admin 0x..] [--arbiter 0x..] [--fee-recipient 0x..] [--slash-recipient 0x..]
//
// Without --key the deployer is Hardhat dev account #0, which only works on a devnet.
// The key can also come from HEARTH_DEPLOYER_KEY so it stays out of shell history.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { deployWithKey } from '../../common/contracts/deploy.ts';
import { demoParams, productionParams, type ProtocolParams } from '../../common/contracts/params.ts';
import { devAccounts } from '../../core/chain/devnet.ts';
import { repoRoot } from './exports.ts';

export async function loadParams(spec: string): Promise<ProtocolParams> {
  if (spec === 'demo') return demoParams();
  if (spec === 'production') return productionParams(['gpu-8gb', 'gpu-24gb']);
  // JSON with bigints as decimal strings: token amounts in wei.
  const raw = JSON.parse(await readFile(spec, 'utf8'), (_key, value: unknown) =>
    typeof value === 'string' && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  ) as ProtocolParams;
  return raw;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rpc: { type: 'string', default: 'http://127.0.0.1:8545' },
      params: { type: 'string', default: 'demo' },
      key: { type: 'string' },
      out: { type: 'string' },
      admin: { type: 'string' },
      arbiter: { type: 'string' },
      'fee-recipient': { type: 'string' },
      'slash-recipient': { type: 'string' },
    },
  });
  const key = values.key ?? process.env.HEARTH_DEPLOYER_KEY ?? devAccounts(1)[0]!.privateKey;
  const deployment = await deployWithKey(values.rpc, key, {
    params: await loadParams(values.params),
    roles: {
      ...(values.admin ? { admin: values.admin } : {}),
      ...(values.arbiter ? { arbiter: values.arbiter } : {}),
      ...(values['fee-recipient'] ? { feeRecipient: values['fee-recipient'] } : {}),
      ...(values['slash-recipient'] ? { slashRecipient: values['slash-recipient'] } : {}),
    },
    log: (line) => console.log(line),
  });
  const out = resolve(values.out ?? join(repoRoot, 'contracts', 'deployments', `${deployment.chainId}.json`));
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(deployment, null, 2)}\n`);
  console.log(`addresses written to ${out}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
