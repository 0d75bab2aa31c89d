import fc from 'fast-check';
import { contract, callNames } from '../../common/ipc/contract.ts';
import { callInput, schemaAccepts } from '../../common/ipc/fuzz/arbitraries.ts';
import { refusedOnly } from '../../common/ipc/fuzz/channel-policy.ts';
import { callFrame, describeWire } from '../../common/ipc/fuzz/wire-json.ts';
import { envelopeProblem, Session } from './envelope-check.ts';
import { fuzzMalformedFrames } from './malformed-frames.ts';
import { answersStatus } from './socket.ts';
import { snapshotState, stateChanges } from './state.ts';
import type { FuzzTarget } from './target.ts';

export interface ChannelTally {
  sent: number;
  /** Inputs the schema accepted (read-only calls only). */
  accepted: number;
  /** Frames over the size limit, closed by the daemon unread. */
  oversize: number;
}

export interface ContractFuzzReport {
  seed: number;
  cases: number;
  channels: number;
  perChannel: Record<string, ChannelTally>;
  /** Raw malformed frames sent on the authorized socket. */
  frames: number;
  /** The daemon's memory after a full collection, MB, before and after the run. */
  memoryStart: { rss: number; heap: number };
  memoryEnd: { rss: number; heap: number };
  failures: string[];
}

export interface ContractFuzzOptions {
  seed: number;
  casesPerChannel: number;
  malformedFrames: number;
  /** How long one call may take to answer. */
  answerMs?: number;
  progress?: (line: string) => void;
}

/**
 * Every call in the contract, `casesPerChannel` generated inputs each (seed + the call's
 * index in the contract), over one authorized WebSocket to a real daemon. Each answer is
 * checked (see envelope-check.ts), the observable state is compared with the start after
 * each call's batch, then raw malformed frames go over the same socket, and the run ends by
 * asking a fresh socket for app:status. Failures name the call, the seed and the input.
 */
export async function fuzzContract(target: FuzzTarget, options: ContractFuzzOptions): Promise<ContractFuzzReport> {
  const failures: string[] = [];
  const perChannel: Record<string, ChannelTally> = {};
  const memoryStart = await target.memoryMb();
  const session = await Session.open(target);
  const answerMs = options.answerMs ?? 15_000;
  let cases = 0;
  let id = 1;
  try {
    let baseline = await snapshotState(session.socket);
    for (const [index, channel] of callNames.entries()) {
      const spec = contract.calls[channel];
      const seed = options.seed + index;
      const tally: ChannelTally = { sent: 0, accepted: 0, oversize: 0 };
      perChannel[channel] = tally;
      const payloads = fc.sample(callInput(spec.input, refusedOnly(channel)), { seed, numRuns: options.casesPerChannel });
      for (const [n, payload] of payloads.entries()) {
        const where = `${channel} (seed ${seed}, case ${n}) with ${describeWire(payload)}`;
        const accepted = schemaAccepts(spec.input, payload);
        const callId = id++;
        const sent = await session.sendText(callFrame(callId, channel, payload));
        tally.sent += 1;
        cases += 1;
        if (sent.oversize) {
          tally.oversize += 1;
          if (sent.problem) failures.push(`${where}: ${sent.problem}`);
          continue;
        }
        if (accepted) tally.accepted += 1;
        const envelope = await session.socket.result(callId, answerMs);
        if (!envelope) {
          failures.push(
            `${where}: no answer within ${answerMs} ms${session.socket.closeCode === null ? '' : ` (socket closed ${session.socket.closeCode})`}`,
          );
          if (!session.socket.open) await session.reopen();
          continue;
        }
        const problem = envelopeProblem(accepted, envelope);
        if (problem) failures.push(`${where}: ${problem}`);
      }
      const after = await snapshotState(session.socket);
      const changes = stateChanges(baseline, after);
      for (const change of changes) failures.push(`state changed during ${channel}'s cases (seed ${seed}): ${change}`);
      // Compare the next call with what this one left, so a change is blamed once, on the call that made it.
      if (changes.length > 0) baseline = after;
      if (target.exited()) {
        failures.push(`the daemon died during ${channel} (seed ${seed}): ${target.exited()}\n${target.logTail()}`);
        break;
      }
      options.progress?.(`${channel}: ${tally.sent} sent, ${tally.accepted} accepted by the schema, ${tally.oversize} oversize`);
    }
    const raw = target.exited()
      ? { frames: 0, failures: [] }
      : await fuzzMalformedFrames(session, { seed: options.seed, cases: options.malformedFrames, answerMs });
    failures.push(...raw.failures);
    if (!target.exited()) {
      for (const change of stateChanges(baseline, await snapshotState(session.socket)))
        failures.push(`state changed during the malformed frames: ${change}`);
    }
    if (session.socket.malformed.length > 0)
      failures.push(`the daemon sent frames that are not server messages: ${session.socket.malformed.slice(0, 3).join(' | ')}`);
    const settingsEvents = session.socket.events.get('settings:changed') ?? 0;
    if (settingsEvents > 0) failures.push(`settings:changed was emitted ${settingsEvents} times while only refused or read-only calls ran`);
    const status = target.exited() ? `the daemon is gone: ${target.exited()}` : await answersStatus(target);
    if (status) failures.push(`at the end: ${status}`);
    const memoryEnd = await target.memoryMb();
    return {
      seed: options.seed,
      cases,
      channels: Object.keys(perChannel).length,
      perChannel,
      frames: raw.frames,
      memoryStart,
      memoryEnd,
      failures,
    };
  } finally {
    session.close();
  }
}
