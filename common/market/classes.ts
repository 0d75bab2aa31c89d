/**
 * Device classes: each JobMarket serves one class, named by a label whose keccak256 is
 * its on-chain class id. A device belongs to the largest class its memory can hold.
 */
export const CPU_CLASS = 'cpu';

/** Classes by the memory (MiB) a device needs to serve them, largest first. */
const GPU_CLASSES: readonly { label: string; minVramMiB: number }[] = [
  { label: 'gpu-24gb', minVramMiB: 22 * 1024 },
  { label: 'gpu-8gb', minVramMiB: 7 * 1024 },
];

/**
 * The class label a device can serve: GPUs by VRAM (a card sold as 8 GB reports a little
 * less), anything else (the CPU, a small or unknown GPU) the CPU class.
 */
export function classForDevice(device: { kind: 'gpu' | 'cpu'; vramMiB: number | null }): string {
  if (device.kind === 'gpu' && device.vramMiB !== null) {
    for (const c of GPU_CLASSES) if (device.vramMiB >= c.minVramMiB) return c.label;
  }
  return CPU_CLASS;
}

/** Every class a device of that size may serve (a 24 GB card can also take 8 GB jobs). */
export function classesForDevice(device: { kind: 'gpu' | 'cpu'; vramMiB: number | null }): string[] {
  const best = classForDevice(device);
  if (best === CPU_CLASS) return [CPU_CLASS];
  const from = GPU_CLASSES.findIndex((c) => c.label === best);
  return GPU_CLASSES.slice(from).map((c) => c.label);
}
