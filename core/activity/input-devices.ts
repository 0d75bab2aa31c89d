import { createReadStream, type ReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { unavailable, type ActivityListener, type SignalReading, type SignalSource } from './types.ts';

export interface InputDevicesOptions {
  dir?: string;
  /** Monotonic milliseconds (performance.now by default), so a wall-clock jump cannot fake idle time. */
  monotonicNow?: () => number;
  /** Opens a device for reading (tests pass fakes). */
  open?: (path: string) => Pick<ReadStream, 'on' | 'destroy'>;
  list?: (dir: string) => Promise<string[]>;
}

/**
 * Activity on /dev/input/event* (keyboards, mice, pads) where this user may read them.
 * Only the fact that *something* arrived is used; the bytes (which keys) are dropped
 * unread. Idle time counts from the last event, or from when watching began.
 */
export function createInputDevicesSource(options: InputDevicesOptions = {}): SignalSource<'input'> {
  const dir = options.dir ?? '/dev/input';
  const mono = options.monotonicNow ?? (() => performance.now());
  const open = options.open ?? ((path: string) => createReadStream(path, { highWaterMark: 64 }));
  const list = options.list ?? ((d: string) => readdir(d));
  let reason = 'Not watching input devices yet.';
  let streams: Pick<ReadStream, 'on' | 'destroy'>[] = [];
  let readable = 0;
  let lastInput = mono();
  let lastEmit = -Infinity;
  let emit: ActivityListener | undefined;
  let generation = 0;

  const onData = (): void => {
    const now = mono();
    lastInput = now;
    // A mouse sends hundreds of events a second; one notice per 100 ms is plenty.
    if (now - lastEmit >= 100) {
      lastEmit = now;
      emit?.({ kind: 'input' });
    }
  };

  const begin = async (gen: number): Promise<void> => {
    let names: string[];
    try {
      names = (await list(dir)).filter((n) => /^event\d+$/.test(n));
    } catch {
      reason = `There is no ${dir} on this system.`;
      emit?.({ kind: 'changed' });
      return;
    }
    if (gen !== generation) return;
    if (names.length === 0) {
      reason = `No input devices under ${dir}.`;
      emit?.({ kind: 'changed' });
      return;
    }
    let denied = 0;
    let pending = names.length;
    const settle = (): void => {
      if (--pending > 0 || gen !== generation) return;
      if (readable === 0) {
        reason =
          denied > 0
            ? `No permission to read ${dir} (add this user to the "input" group to let Hearth see keyboard and mouse activity).`
            : `None of the devices in ${dir} could be opened.`;
      }
      emit?.({ kind: 'changed' });
    };
    for (const name of names) {
      const stream = open(join(dir, name));
      streams.push(stream);
      let counted = false;
      stream.on('open', () => {
        if (gen !== generation) return;
        readable++;
        counted = true;
        settle();
      });
      stream.on('data', onData);
      stream.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EACCES' || error.code === 'EPERM') denied++;
        if (counted) readable--;
        else settle();
      });
    }
  };

  return {
    signal: 'input',
    read(): SignalReading<{ idleSeconds: number }> {
      if (readable === 0) return unavailable(reason);
      return { available: true, via: `input devices (${readable} in ${dir})`, value: { idleSeconds: Math.max(0, mono() - lastInput) / 1000 } };
    },
    start(listener) {
      emit = listener;
      generation++;
      lastInput = mono();
      void begin(generation);
    },
    stop() {
      generation++;
      emit = undefined;
      for (const s of streams) s.destroy();
      streams = [];
      readable = 0;
      reason = 'Not watching input devices.';
    },
  };
}
