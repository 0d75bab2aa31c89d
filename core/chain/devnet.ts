import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HDNodeWallet } from 'ethers';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { deployWithKey } from '../../common/contracts/deploy.ts';
import { demoParams, type ProtocolParams } from '../../common/contracts/params.ts';
import { HearthError } from '../../common/errors.ts';
import { systemClock } from '../node-ports.ts';
import type { Clock } from '../ports.ts';

/** A funded development account: its key is public knowledge, never use it on a real chain. */
export interface DevAccount {
  address: string;
  privateKey: string;
}

export interface DevnetOptions {
  /** TCP port on 127.0.0.1; a free one is chosen when omitted. */
  port?: number;
  /** How long to wait for the node to answer eth_chainId (default 60 s: slow CI disks). */
  startTimeoutMs?: number;
  /** Timers go through the clock so callers can control them; defaults to real time. */
  clock?: Clock;
  /** Receives the node's stdout/stderr lines, e.g. for a debug log. */
  onOutput?: (line: string) => void;
}

export interface Devnet {
  rpcUrl: string;
  chainId: number;
  /** The accounts the node funds (10,000 ETH each), in the node's order. */
  accounts: DevAccount[];
  /** Stops the node and waits for its process to exit. Safe to call twice. */
  stop(): Promise<void>;
}

// Hardhat's documented default: the node funds 20 accounts derived from this phrase.
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const DEV_ACCOUNT_COUNT = 20;
const HOST = '127.0.0.1';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

/** The well-known dev accounts Hardhat's node funds (deterministic, no node needed). */
export function devAccounts(count = DEV_ACCOUNT_COUNT): DevAccount[] {
  const root = HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, "m/44'/60'/0'/0");
  return Array.from({ length: count }, (_, index) => {
    const wallet = root.deriveChild(index);
    return { address: wallet.address, privateKey: wallet.privateKey };
  });
}

/**
 * Launches a local JSON-RPC chain (`hardhat node`) on 127.0.0.1 as a child process and
 * resolves once it answers eth_chainId. The caller owns the node: call `stop()`.
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const clock = options.clock ?? systemClock;
  const port = options.port ?? (await findFreePort());
  const rpcUrl = `http://${HOST}:${port}`;
  const child = spawnNode(port);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  // A node left behind would hold its port after a crash of ours: kill it with us.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  const exitPromise = new Promise<void>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      process.removeListener('exit', killOnExit);
      resolveExit();
    });
  });
  const recent: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const handle = clock.setTimeout(() => {
      if (!exited) child.kill('SIGKILL');
    }, 5_000);
    await exitPromise;
    clock.clearTimeout(handle);
  };

  const deadline = clock.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      throw new HearthError(
        'devnet_exited',
        `The local chain stopped while starting (exit ${exited.code ?? exited.signal}). ` +
          `Is port ${port} already in use? Last output: ${recent.slice(-5).join(' | ')}`,
      );
    }
    const chainId = await queryChainId(rpcUrl, clock);
    if (chainId !== undefined) {
      return { rpcUrl, chainId, accounts: devAccounts(), stop };
    }
    if (clock.now() > deadline) {
      await stop();
      throw new HearthError(
        'devnet_timeout',
        `The local chain did not answer on ${rpcUrl} in time. Last output: ${recent.slice(-5).join(' | ')}`,
      );
    }
    await sleep(clock, 150);
  }
}

/**
 * `startDevnet` plus the whole protocol deployed by dev account #0 (demo parameters unless
 * given): what the default run and end-to-end tests need. Stops the node if deploying fails.
 */
export async function startProtocolDevnet(
  options: DevnetOptions & { params?: ProtocolParams } = {},
): Promise<Devnet & { deployment: Deployment }> {
  const devnet = await startDevnet(options);
  try {
    const deployment = await deployWithKey(devnet.rpcUrl, devnet.accounts[0]!.privateKey, { params: options.params ?? demoParams() });
    return { ...devnet, deployment };
  } catch (error) {
    await devnet.stop();
    throw error;
  }
}

function spawnNode(port: number): ChildProcess {
  const require = createRequire(import.meta.url);
  const hardhatPkg = require.resolve('hardhat/package.json');
  const cli = join(dirname(hardhatPkg), 'dist', 'src', 'cli.js');
  // process.execPath is the Node running us (22+ is required by Hardhat 3 anyway).
  return spawn(
    process.execPath,
    ['--require', join(repoRoot, 'core', 'chain', 'devnet-watchdog.cjs'), cli, '--config', join(repoRoot, 'hardhat.config.ts'), 'node', '--hostname', HOST, '--port', String(port)],
    // stdin is a pipe we never write to: its closing tells the node that we are gone.
    { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
  );
}

async function queryChainId(rpcUrl: string, clock: Clock): Promise<number | undefined> {
  // Something else listening on the port may accept and never answer: bound each probe.
  const abort = new AbortController();
  const handle = clock.setTimeout(() => abort.abort(), 2_000);
  try {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { result?: unknown };
    return typeof body.result === 'string' ? Number.parseInt(body.result, 16) : undefined;
  } catch {
    return undefined; // not listening yet, or not a JSON-RPC node
  } finally {
    clock.clearTimeout(handle);
  }
}

/** Asks the OS for a free port. Another process could take it before the node binds; the
 * node then exits and startDevnet reports it, which is rare enough for a dev tool. */
async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolveSleep) => {
    clock.setTimeout(resolveSleep, ms);
  });
}
