import type { Veto } from '../../common/ipc/groups/scheduler.ts';

/** Small text helpers for the scheduler's reasons: "40 s", "5 min", "1 h 5 min". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** "5 min idle" from a threshold in minutes (which may be fractional). */
export function thresholdText(idleMinutes: number): string {
  return `${duration(idleMinutes * 60)} idle`;
}

const PAUSED = 'Paused — ';

/** A veto's message without its leading "Paused — ", for lines that already say so. */
export function withoutPaused(message: string): string {
  return message.startsWith(PAUSED) ? message.slice(PAUSED.length) : message;
}

/** What it means that a veto no longer holds, for the cooling-down reason. */
export function clearedText(veto: Veto): string {
  switch (veto.kind) {
    case 'app':
      return withoutPaused(veto.message).replace(/ (is|are) running$/, ' closed');
    case 'fullscreen':
      return 'the fullscreen app closed';
    case 'gpu-busy':
      return 'the other program left the GPU';
    case 'gpu-temp':
      return 'the GPU cooled below your limit';
    case 'gpu-power':
      return 'GPU power draw is back under your limit';
    case 'thermal':
      return 'the computer cooled down';
    case 'battery':
      return 'the battery rule is met again';
    default:
      return 'the pause reason cleared';
  }
}

/** Vetoes after which starting again at once is fine (nothing physical to settle). */
export function needsCooling(veto: Veto): boolean {
  return veto.kind !== 'schedule' && veto.kind !== 'devices' && veto.kind !== 'sleep';
}
