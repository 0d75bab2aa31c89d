import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Deployment } from '../../../common/contracts/addresses.ts';
import { deployWithKey } from '../../../common/contracts/deploy.ts';
import type { ProtocolParams } from '../../../common/contracts/params.ts';
import { devAccounts, startProtocolDevnet, type Devnet } from '../../chain/devnet.ts';

/**
 * The protocol devnet for these tests. `startProtocolDevnet` is being moved from Hardhat's
 * node to Anvil on another branch, and Hardhat's node does not start with the installed
 * Hardhat here; until that lands this starts Anvil directly behind the same `Devnet` shape.
 * HEARTH_TEST_DEVNET=core uses `startProtocolDevnet` instead.
 */
export async function startTestDevnet(params: ProtocolParams): Promise<Devnet & { deployment: Deployment }> {
  if (process.env.HEARTH_TEST_DEVNET === 'core') return startProtocolDevnet({ params });
  const require = createRequire(import.meta.url);
  const binary = join(dirname(require.resolve('@foundry-rs/anvil-linux-amd64/package.json')), 'bin', 'anvil');
  const child = spawn(binary, ['--host', '127.0.0.1', '--port', '0', '--accounts', '20', '--silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // --port 0 picks a free port; Anvil prints it only without --silent, so ask the OS instead.
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      import('node:child_process')
        .then(({ execFileSync }) => {
          const out = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
          const line = out.split('\n').find((l) => l.includes(`pid=${child.pid},`));
          const match = line && /127\.0\.0\.1:(\d+)/.exec(line);
          if (match) {
            clearInterval(timer);
            resolve(Number(match[1]));
          }
        })
        .catch(() => undefined);
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`anvil exited (${code})`));
    });
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', kill);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const accounts = devAccounts(20);
    const deployment = await deployWithKey(rpcUrl, accounts[0]!.privateKey, { params });
    return { rpcUrl, chainId: deployment.chainId, accounts, stop, deployment };
  } catch (error) {
    await stop();
    throw error;
  }
}
