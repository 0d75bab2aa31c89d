import { isDeepStrictEqual } from 'node:util';
import type { FuzzSocket } from './socket.ts';

/**
 * What a refused call must not change, read through the daemon's own read calls: settings,
 * the wallet, networks and transactions, the scheduler's pause, the ledger's jobs, the
 * market's onboarding, update state. Fields that move on their own (clocks, idle time,
 * balances, telemetry) are left out so the comparison only fails on a real change.
 */
type Pick = (value: Record<string, unknown>) => unknown;

const fields =
  (...names: string[]): Pick =>
  (value) =>
    Object.fromEntries(names.map((name) => [name, value[name]]));

const READS: [channel: string, pick: Pick][] = [
  ['app:status', fields('warnings', 'dataDir')],
  ['settings:get', (value) => value],
  ['wallet:status', fields('exists', 'locked', 'kind', 'accounts', 'selected', 'pendingBackup', 'keychain', 'networkId')],
  ['chain:networks', (value) => value],
  ['chain:transactions', (value) => value],
  ['scheduler:status', fields('pause', 'finishingThenPause', 'testHooks')],
  ['market:jobs', fields('total', 'jobs')],
  ['market:status', fields('registered', 'providerId', 'onboarding', 'minPricePerUnitWei')],
  ['update:status', fields('state')],
];

export type StateSnapshot = Record<string, unknown>;

/** Reads the observable state; a read that fails is recorded as its error code. */
export async function snapshotState(socket: FuzzSocket): Promise<StateSnapshot> {
  const snapshot: StateSnapshot = {};
  for (const [channel, pick] of READS) {
    const envelope = await socket.call(channel, {});
    if (!envelope) snapshot[channel] = 'no answer';
    else if (!envelope.ok) snapshot[channel] = `error ${envelope.code}`;
    else snapshot[channel] = pick(envelope.value as Record<string, unknown>);
  }
  return snapshot;
}

/** The reads that differ between two snapshots, each as one line. */
export function stateChanges(before: StateSnapshot, after: StateSnapshot): string[] {
  const changes: string[] = [];
  for (const channel of Object.keys(before)) {
    if (!isDeepStrictEqual(before[channel], after[channel])) {
      changes.push(`${channel}: ${JSON.stringify(before[channel]).slice(0, 300)} → ${JSON.stringify(after[channel]).slice(0, 300)}`);
    }
  }
  return changes;
}
