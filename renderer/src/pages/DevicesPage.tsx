import { CPU_DEVICE_ID, type GpuSample } from '../../../common/hardware.ts';
import { Button, Card, Notice, PageHeader, Spinner } from '../ui/index.ts';
import { RefreshIcon } from '../ui/icons.tsx';
import { CpuCard } from './devices/CpuCard.tsx';
import { GpuCard } from './devices/GpuCard.tsx';
import { useHardware } from './devices/use-hardware.ts';

/** Devices: every GPU Hearth found plus the CPU, live, with benchmarks and per-device controls. */
export function DevicesPage() {
  const hw = useHardware();
  const { inventory, samples, benchmark } = hw;
  const records = hw.view?.benchmarks ?? [];
  const recordFor = (id: string) => records.find((r) => r.deviceId === id);
  const gpuSamples = (id: string): GpuSample[] => samples.flatMap((s) => s.gpus.filter((g) => g.deviceId === id));
  const gpuTimes = (id: string): number[] => samples.filter((s) => s.gpus.some((g) => g.deviceId === id)).map((s) => s.at);
  const detecting = hw.refreshing || (hw.view?.detecting ?? false) || (hw.view !== null && inventory === null);
  const problems = inventory?.probes.filter((p) => p.status === 'timeout' || p.status === 'failed') ?? [];

  return (
    <>
      <PageHeader
        title="Devices"
        description="The GPUs and processor Hearth can put to work on this machine."
        actions={
          <Button icon={<RefreshIcon />} busy={hw.refreshing} onClick={() => hw.refresh()}>
            Detect again
          </Button>
        }
      />
      {hw.error && <Notice tone="error" title="Hearth could not read the devices">{hw.error.message}</Notice>}
      {detecting && !inventory && (
        <Card>
          <p className="devices-detecting">
            <Spinner size={16} /> Looking for GPUs…
          </p>
        </Card>
      )}
      {inventory && (
        <div className="devices">
          {inventory.cpuOnly && (
            <Notice tone="info" title="No supported GPU was found">
              <p>
                Hearth will run jobs on your processor instead. That works, but it earns much less than a GPU would.
              </p>
              <p>
                If this computer has an NVIDIA graphics card, install or update the NVIDIA driver (it includes the
                nvidia-smi tool Hearth uses to find the card), then press <strong>Detect again</strong>.
                {inventory.gpus.length > 0 && ' The graphics adapters Hearth did find are listed below with the reason each one cannot be used.'}
              </p>
            </Notice>
          )}
          {problems.map((p) => (
            <Notice key={p.source} tone="warn" title={`${p.source} ${p.status === 'timeout' ? 'did not answer' : 'failed'}`}>
              {p.message}
            </Notice>
          ))}
          {inventory.gpus.map((gpu) => (
            <GpuCard
              key={gpu.id}
              gpu={gpu}
              samples={gpuSamples(gpu.id)}
              times={gpuTimes(gpu.id)}
              record={recordFor(gpu.id)}
              benchmark={benchmark}
              onBenchmark={() => void hw.runBenchmark(gpu.id)}
            />
          ))}
          <CpuCard
            inventory={inventory}
            samples={samples}
            record={recordFor(CPU_DEVICE_ID)}
            benchmark={benchmark}
            onBenchmark={() => void hw.runBenchmark(CPU_DEVICE_ID)}
          />
        </div>
      )}
    </>
  );
}
