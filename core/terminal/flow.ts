import type { Clock, TimerHandle } from '../ports.ts';

/**
 * Batching and flow control for one terminal's output, after Hyper and Tabby: output is
 * gathered for a moment (or until a batch is full) and sent as one numbered batch; the
 * client acknowledges batches as it draws them; when the unacknowledged output reaches
 * the window, the source (the pty) is paused until acks make room. So a flood costs at
 * most one window in flight plus what the pty had already read, however slow the client.
 *
 * Sizes are UTF-16 code units (what the terminal receives), equal to bytes for ASCII.
 */
export interface FlowOptions {
  clock: Clock;
  /** Longest a batch waits for more output. */
  batchMs: number;
  /** Largest batch. */
  batchSize: number;
  /** Most unacknowledged output allowed in flight. */
  window: number;
  /** Most unacknowledged batches (so a trickle of tiny batches is bounded too). */
  maxBatchesInFlight: number;
  send(seq: number, data: string): void;
  pause(): void;
  resume(): void;
}

export interface FlowStats {
  /** Sent and not yet acknowledged. */
  inFlight: number;
  batchesInFlight: number;
  /** Received from the source and not yet sent. */
  pending: number;
  paused: boolean;
  lastSeq: number;
}

export interface OutputFlow {
  /** Output from the source. */
  push(chunk: string): void;
  /**
   * The client drew everything up to batch `seq`. Returns false (and changes nothing)
   * for a batch not sent yet; an old ack is harmless and returns true.
   */
  ack(seq: number): boolean;
  /** The source ended: send what is left as the window allows, then call `drained` once. */
  finish(drained: () => void): void;
  stats(): FlowStats;
  dispose(): void;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** Creates the flow for one session; see FlowOptions. */
export function createOutputFlow(options: FlowOptions): OutputFlow {
  const { clock } = options;
  let pending = '';
  let lastSeq = 0;
  let acked = 0;
  // Sizes of the sent, unacknowledged batches: the first is batch `acked + 1`.
  const sizes: number[] = [];
  let inFlight = 0;
  let paused = false;
  let timer: TimerHandle | undefined;
  let drained: (() => void) | undefined;
  let disposed = false;

  const full = (): boolean => inFlight + pending.length >= options.window || sizes.length >= options.maxBatchesInFlight;

  const updatePause = (): void => {
    if (disposed) return;
    if (!paused && full()) {
      paused = true;
      options.pause();
    } else if (paused && !full()) {
      paused = false;
      options.resume();
    }
  };

  const flush = (): void => {
    if (timer !== undefined) {
      clock.clearTimeout(timer);
      timer = undefined;
    }
    if (disposed) return;
    while (pending.length > 0 && inFlight < options.window && sizes.length < options.maxBatchesInFlight) {
      let size = Math.min(pending.length, options.batchSize, options.window - inFlight);
      // Never cut a surrogate pair in two: the half would be drawn as a replacement glyph.
      if (size < pending.length && isHighSurrogate(pending.charCodeAt(size - 1))) size -= 1;
      if (size === 0) break;
      const data = pending.slice(0, size);
      pending = pending.slice(size);
      lastSeq += 1;
      sizes.push(size);
      inFlight += size;
      options.send(lastSeq, data);
    }
    updatePause();
    if (drained && pending.length === 0) {
      const done = drained;
      drained = undefined;
      done();
    }
  };

  return {
    push(chunk) {
      if (disposed || chunk.length === 0) return;
      pending += chunk;
      if (pending.length >= options.batchSize) flush();
      else {
        timer ??= clock.setTimeout(flush, options.batchMs);
        updatePause();
      }
    },
    ack(seq) {
      if (seq > lastSeq) return false;
      if (seq <= acked) return true;
      for (const size of sizes.splice(0, seq - acked)) inFlight -= size;
      acked = seq;
      flush();
      return true;
    },
    finish(done) {
      drained = done;
      flush();
    },
    stats: () => ({ inFlight, batchesInFlight: sizes.length, pending: pending.length, paused, lastSeq }),
    dispose() {
      disposed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      pending = '';
      drained = undefined;
    },
  };
}
