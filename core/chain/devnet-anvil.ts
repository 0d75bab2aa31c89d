import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { HearthError } from '../../common/errors.ts';

// The platforms @foundry-rs/anvil publishes a binary package for (see its const.mjs).
const PACKAGES: Partial<Record<NodeJS.Platform, Partial<Record<NodeJS.Architecture, string>>>> = {
  darwin: { arm64: 'darwin-arm64', x64: 'darwin-amd64' },
  linux: { arm64: 'linux-arm64', x64: 'linux-amd64' },
  win32: { x64: 'win32-amd64' },
};

/**
 * Path of the Anvil executable shipped by the registry package for this platform
 * (`@foundry-rs/anvil-<os>-<arch>`). Throws a HearthError naming the platform when
 * there is none, or when the optional package was not installed.
 */
export function anvilBinary(platform: NodeJS.Platform = process.platform, arch: NodeJS.Architecture = process.arch): string {
  const suffix = PACKAGES[platform]?.[arch];
  if (!suffix) {
    throw new HearthError(
      'devnet_unsupported_platform',
      `The built-in local chain (Anvil) has no build for ${platform}-${arch}. Pick a custom network in Settings, or start Hearth with HEARTH_DEVNET=off.`,
    );
  }
  const pkg = `@foundry-rs/anvil-${suffix}`;
  const binary = platform === 'win32' ? 'anvil.exe' : 'anvil';
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require.resolve(`${pkg}/bin/${binary}`);
  } catch {
    path = '';
  }
  if (!path || !existsSync(path)) {
    throw new HearthError(
      'devnet_missing_binary',
      `The local chain's program (${pkg}) is not installed. Reinstall Hearth, or pick a custom network in Settings.`,
    );
  }
  return path;
}

export interface AnvilArgs {
  port: number;
  host: string;
  chainId: number;
  mnemonic: string;
  accounts: number;
  /** Seconds between blocks when nobody sends a transaction; 0: a block per transaction only. */
  blockTimeSeconds: number;
  /** Where the chain lives between runs; omitted: in memory only. */
  stateFile?: string;
  stateIntervalSeconds: number;
}

/** Anvil's command line for Hearth's devnet. */
export function anvilArgs(a: AnvilArgs): string[] {
  return [
    '--host', a.host,
    '--port', String(a.port),
    '--chain-id', String(a.chainId),
    '--mnemonic', a.mnemonic,
    '--accounts', String(a.accounts),
    '--balance', '10000',
    // A block every interval so time-based windows pass on an idle chain, and mixed mining so a
    // transaction is still mined at once instead of waiting for the next tick.
    ...(a.blockTimeSeconds > 0 ? ['--block-time', String(a.blockTimeSeconds), '--mixed-mining'] : []),
    ...(a.stateFile ? ['--state', a.stateFile, '--state-interval', String(a.stateIntervalSeconds)] : []),
  ];
}
