/**
 * Decides, per device, whether Hearth can earn with it, and says why not in plain words.
 * The inference worker runs onnxruntime with CUDA on NVIDIA and on the CPU everywhere.
 */
import type { DeviceSupport, GpuDevice } from '../../common/hardware.ts';

/** Smallest VRAM the smallest jobs in the market need. */
export const MIN_VRAM_MIB = 2048;

type SupportInput = Omit<GpuDevice, 'support' | 'id'>;

function parseCap(cap: string | null): number | null {
  if (cap === null) return null;
  const v = Number(cap);
  return Number.isFinite(v) ? v : null;
}

/** Support verdict for one GPU; `platform` is process.platform of the machine it was seen on. */
export function assessSupport(gpu: SupportInput, platform: string): DeviceSupport {
  const cpuFallback = 'Hearth will use your CPU instead.';
  if (gpu.vendor !== 'nvidia') {
    if (gpu.integrated) {
      return {
        status: 'unsupported',
        reason: 'Integrated graphics share system memory and are too slow for paid jobs.',
        action: cpuFallback,
      };
    }
    const vendor = { amd: 'AMD', intel: 'Intel', apple: 'Apple', other: 'this', nvidia: 'NVIDIA' }[gpu.vendor];
    return {
      status: 'unsupported',
      reason: `Hearth's inference runtime cannot use ${vendor} GPUs yet; only NVIDIA GPUs with CUDA are supported.`,
      action: cpuFallback,
    };
  }
  if (platform === 'darwin') {
    return { status: 'unsupported', reason: 'NVIDIA CUDA is not available on macOS.', action: cpuFallback };
  }
  const cap = parseCap(gpu.computeCapability);
  if (cap !== null && cap < 5.0) {
    return {
      status: 'unsupported',
      reason: `This GPU's CUDA compute capability (${gpu.computeCapability}) is older than the runtime supports (5.0 or newer).`,
      action: cpuFallback,
    };
  }
  if (gpu.vramMiB !== null && gpu.vramMiB < MIN_VRAM_MIB && !gpu.migEnabled) {
    return {
      status: 'unsupported',
      reason: `It has ${Math.round(gpu.vramMiB)} MiB of video memory; the smallest jobs need ${MIN_VRAM_MIB} MiB.`,
      action: cpuFallback,
    };
  }
  if (!gpu.nameReported) {
    return {
      status: 'limited',
      reason: `The NVIDIA driver${gpu.driverVersion ? ` (${gpu.driverVersion})` : ''} is older than this card and does not know its model.`,
      action: 'Update the NVIDIA driver; Hearth can still try to use the card.',
    };
  }
  if (gpu.migEnabled) {
    return {
      status: 'limited',
      reason: `MIG partitioning is on (${gpu.migInstances.length} instance(s)); a job gets one partition, not the whole GPU.`,
      action: 'To use the whole GPU, an administrator can turn MIG off with "nvidia-smi -mig 0".',
    };
  }
  if (gpu.virtualization === 'vgpu') {
    return {
      status: 'limited',
      reason: 'This is a virtual GPU slice shared with other virtual machines; its speed depends on the host.',
      action: '',
    };
  }
  return { status: 'supported', reason: 'NVIDIA GPU with CUDA.', action: '' };
}

/** True when at least one GPU can take jobs (fully or limited). */
export function hasUsableGpu(gpus: readonly Pick<GpuDevice, 'support'>[]): boolean {
  return gpus.some((g) => g.support.status !== 'unsupported');
}
