import { createServer } from 'node:net';
import { HDNodeWallet } from 'ethers';
import type { Deployment } from '../../common/contracts/addresses.ts';
import { deployWithKey } from '../../common/contracts/deploy.ts';
import { demoParams, type ProtocolParams } from '../../common/contracts/params.ts';
import { HearthError } from '../../common/errors.ts';
import { systemClock } from '../node-ports.ts';
import type { Clock, Logger } from '../ports.ts';
import { anvilArgs, anvilBinary } from './devnet-anvil.ts';
import { GUARD_PID_LINE, spawnGuarded } from './devnet-guard.ts';
import { postJson } from './http-post.ts';
import { buildFingerprint, ensureDeployment } from './devnet-deployment.ts';
import { commitCandidate, devnetStateFiles, ensureStateDir, quarantineState, restoreLastGood, stageCandidate, type DevnetStateFiles } from './devnet-state.ts';

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
  /**
   * Folder that keeps the chain between runs (`state.json`, written every
   * `stateIntervalSeconds` and on a clean stop). Omitted: the chain lives in memory only.
   */
  stateDir?: string;
  /**
   * Seconds between blocks on an idle chain (default 2); transactions are mined at once.
   * 0 mines only on transactions (tests that hold transactions back with evm_setAutomine).
   */
  blockTimeSeconds?: number;
  /** Seconds between state dumps (default 5): what a hard kill can lose at most. */
  stateIntervalSeconds?: number;
  /** Reports a state file that had to be set aside. */
  logger?: Logger;
}

export interface Devnet {
  rpcUrl: string;
  chainId: number;
  /** The accounts the node funds (10,000 ETH each), in the node's order. */
  accounts: DevAccount[];
  /** The state folder when the chain persists (see DevnetOptions.stateDir). */
  stateDir?: string;
  /** Stops the node (letting it save its state) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
  /** Settles when the node has exited, stopped or not (a crash, a kill from outside). */
  exited?: Promise<void>;
}

// The well-known development mnemonic (Hardhat's and Anvil's default): 20 accounts from it.
const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const DEV_ACCOUNT_COUNT = 20;
const CHAIN_ID = 31337;
const HOST = '127.0.0.1';
// The guard gives Anvil this long to save its state after SIGTERM; stop() waits a bit longer.
const GUARD_GRACE_MS = 10_000;

/** The well-known dev accounts the node funds (deterministic, no node needed). */
export function devAccounts(count = DEV_ACCOUNT_COUNT): DevAccount[] {
  const root = HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, "m/44'/60'/0'/0");
  return Array.from({ length: count }, (_, index) => {
    const wallet = root.deriveChild(index);
    return { address: wallet.address, privateKey: wallet.privateKey };
  });
}

/**
 * Launches a local JSON-RPC chain (Anvil) on 127.0.0.1 as a child process and resolves once
 * it answers eth_chainId. With `stateDir` the chain survives restarts; a state file Anvil
 * refuses is moved aside (`state.json.corrupt-<time>`) and the last good copy, else a fresh
 * chain, is started instead. The caller owns the node: call `stop()`.
 */
export async function startDevnet(options: DevnetOptions = {}): Promise<Devnet> {
  const clock = options.clock ?? systemClock;
  const binary = anvilBinary();
  const files = options.stateDir ? devnetStateFiles(options.stateDir) : undefined;
  if (files) await ensureStateDir(files);
  for (let attempt = 0; ; attempt++) {
    const staged = files ? await stageCandidate(files) : false;
    try {
      const devnet = await launch(binary, options, clock, files);
      if (files && staged) await commitCandidate(files);
      return devnet;
    } catch (error) {
      if (!files || attempt >= 2 || !(error instanceof HearthError) || error.code !== 'devnet_state_rejected') throw error;
      const aside = await quarantineState(files, clock.now());
      // The first time, fall back to the copy Anvil accepted last; then to a fresh chain.
      const restored = attempt === 0 && (await restoreLastGood(files));
      options.logger?.warn('devnet: the chain state file could not be loaded; it was moved aside', {
        movedTo: aside,
        next: restored ? 'the last good copy' : 'a fresh chain',
        error: error.message,
      });
    }
  }
}

async function launch(binary: string, options: DevnetOptions, clock: Clock, files: DevnetStateFiles | undefined): Promise<Devnet> {
  const port = options.port ?? (await findFreePort());
  const rpcUrl = `http://${HOST}:${port}`;
  const args = anvilArgs({
    host: HOST,
    port,
    chainId: CHAIN_ID,
    mnemonic: DEV_MNEMONIC,
    accounts: DEV_ACCOUNT_COUNT,
    blockTimeSeconds: options.blockTimeSeconds ?? 2,
    stateIntervalSeconds: options.stateIntervalSeconds ?? 5,
    ...(files ? { stateFile: files.state } : {}),
  });
  const child = spawnGuarded(binary, args, GUARD_GRACE_MS);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  // 'close' rather than 'exit': the node's last output lines have arrived by then.
  const exitPromise = new Promise<void>((resolveExit) => {
    child.once('close', (code, signal) => {
      exited = { code, signal };
      resolveExit();
    });
  });
  const recent: string[] = [];
  let anvilPid: number | undefined;
  let partial = '';
  const collect = (chunk: Buffer): void => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      const pid = GUARD_PID_LINE.exec(line);
      if (pid) anvilPid = Number(pid[1]);
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = async (): Promise<void> => {
    if (exited) return;
    // Closing the guard's stdin is the stop signal on every platform: it SIGTERMs Anvil
    // (which saves its state) and SIGKILLs it after its grace period.
    child.stdin?.end();
    // Without the guard (Windows), Anvil itself is the child: ask it to stop directly.
    if (process.platform === 'win32') child.kill('SIGTERM');
    const handle = clock.setTimeout(() => {
      if (exited) return;
      child.kill('SIGKILL');
      if (anvilPid !== undefined) {
        try {
          process.kill(anvilPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, GUARD_GRACE_MS + 5_000);
    await exitPromise;
    clock.clearTimeout(handle);
  };

  const deadline = clock.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      const tail = recent.slice(-5).join(' | ');
      if (files && /--state|load-state|state file|parse json/i.test(tail)) {
        throw new HearthError('devnet_state_rejected', `The local chain could not load ${files.state}: ${tail}`);
      }
      throw new HearthError(
        'devnet_exited',
        `The local chain stopped while starting (exit ${exited.code ?? exited.signal}). ` +
          `Is port ${port} already in use? Last output: ${tail}`,
      );
    }
    const chainId = await queryChainId(rpcUrl, clock);
    if (chainId !== undefined) {
      return { rpcUrl, chainId, accounts: devAccounts(), ...(files ? { stateDir: files.dir } : {}), stop, exited: exitPromise };
    }
    if (clock.now() > deadline) {
      await stop();
      throw new HearthError(
        'devnet_timeout',
        `The local chain did not answer on ${rpcUrl} in time. Last output: ${recent.slice(-5).join(' | ')}`,
      );
    }
    await sleep(clock, 100);
  }
}

/**
 * `startDevnet` plus the whole protocol deployed by dev account #0 (demo parameters unless
 * given): what the default run and end-to-end tests need. With `stateDir` the protocol is
 * deployed only on a fresh chain; `<stateDir>/deployment.json` keeps its addresses.
 * Stops the node if deploying fails.
 */
export async function startProtocolDevnet(
  options: DevnetOptions & { params?: ProtocolParams } = {},
): Promise<Devnet & { deployment: Deployment }> {
  const devnet = await startDevnet(options);
  try {
    const params = options.params ?? demoParams();
    const { deployment } = await ensureDeployment(devnet, {
      ...(options.stateDir ? { file: devnetStateFiles(options.stateDir).deployment } : {}),
      deploy: () => deployWithKey(devnet.rpcUrl, devnet.accounts[0]!.privateKey, { params }),
      classLabels: params.markets.map((m) => m.classLabel),
      build: buildFingerprint(params),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return { ...devnet, deployment };
  } catch (error) {
    await devnet.stop();
    throw error;
  }
}

async function queryChainId(rpcUrl: string, clock: Clock): Promise<number | undefined> {
  // Something else listening on the port may accept and never answer: bound each probe.
  const abort = new AbortController();
  const handle = clock.setTimeout(() => abort.abort(), 2_000);
  try {
    const response = await postJson(rpcUrl, {
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
