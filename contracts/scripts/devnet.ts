// `npm run devnet`: a local chain on 127.0.0.1 with the protocol deployed (demo parameters)
// and the addresses file written, running until Ctrl-C.
//   npm run devnet -- [--port 8545] [--out path.json]
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { deployWithKey } from '../../common/contracts/deploy.ts';
import { demoParams } from '../../common/contracts/params.ts';
import { startDevnet } from '../../core/chain/devnet.ts';
import { repoRoot } from './exports.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8545' }, out: { type: 'string' } } });
const devnet = await startDevnet({ port: Number(values.port) });
const deployment = await deployWithKey(devnet.rpcUrl, devnet.accounts[0]!.privateKey, {
  params: demoParams(),
  log: (line) => console.log(line),
});
const out = resolve(values.out ?? join(repoRoot, 'contracts', 'deployments', `${deployment.chainId}.json`));
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(deployment, null, 2)}\n`);
console.log(`devnet ${devnet.rpcUrl} (chain ${devnet.chainId}); addresses in ${out}`);
console.log(`dev account #1 ${devnet.accounts[1]!.address} key ${devnet.accounts[1]!.privateKey}`);
const shutdown = () => {
  void devnet.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
