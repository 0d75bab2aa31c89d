import { gpuDisplayName, type BenchmarkRecord, type BenchmarkStatus, type GpuDevice, type GpuSample } from '../../../../common/hardware.ts';
import { Badge, Card, Gauge, Notice, Stat, StatGrid, type Tone } from '../../ui/index.ts';
import { BenchmarkPanel } from './BenchmarkPanel.tsx';
import { DeviceControls } from './DeviceControls.tsx';
import { gib, ratio, unit } from './format.ts';
import { TelemetryChart } from './TelemetryChart.tsx';

const supportTone: Record<GpuDevice['support']['status'], Tone> = { supported: 'ok', limited: 'warn', unsupported: 'idle' };
const supportLabel: Record<GpuDevice['support']['status'], string> = { supported: 'Ready to earn', limited: 'Limited', unsupported: 'Not supported' };

/** One GPU: facts, live gauges, a chart of the last minutes, benchmark, and its controls. */
export function GpuCard({
  gpu,
  samples,
  times,
  record,
  benchmark,
  onBenchmark,
}: {
  gpu: GpuDevice;
  /** This GPU's readings, oldest first. */
  samples: readonly GpuSample[];
  /** When each of `samples` was taken (ms), for the chart's table. */
  times?: readonly number[];
  record: BenchmarkRecord | undefined;
  benchmark: BenchmarkStatus | null;
  onBenchmark: () => void;
}) {
  const live = samples.at(-1);
  const usable = gpu.support.status !== 'unsupported';
  const tempTone: Tone = live?.temperatureC !== null && live?.temperatureC !== undefined && live.temperatureC >= 83 ? 'warn' : 'info';
  return (
    <Card
      className="device-card"
      data-device-id={gpu.id}
      title={gpuDisplayName(gpu)}
      // Two cards of the same model must still be told apart in the landmarks list.
      aria-label={`${gpuDisplayName(gpu)}, GPU ${gpu.index}`}
      description={`GPU ${gpu.index} · ${gpu.vendor.toUpperCase()}${gpu.integrated ? ' · integrated' : ''}`}
      actions={<Badge tone={supportTone[gpu.support.status]}>{supportLabel[gpu.support.status]}</Badge>}
    >
      {gpu.support.status !== 'supported' && (
        <Notice tone={usable ? 'warn' : 'info'} title={gpu.support.reason}>
          {gpu.support.action || null}
        </Notice>
      )}
      <StatGrid columns={4}>
        <Stat label="Video memory" value={gib(gpu.vramMiB)} />
        <Stat label="Driver" value={gpu.driverVersion ?? '–'} hint={gpu.cudaVersion ? `CUDA ${gpu.cudaVersion}` : undefined} />
        <Stat label="Compute capability" value={gpu.computeCapability ?? '–'} />
        <Stat label="PCI bus" value={gpu.busId ?? '–'} mono />
        {gpu.migEnabled && <Stat label="MIG" value={`${gpu.migInstances.length} instances`} hint="Partitioned by an administrator" />}
        {gpu.virtualization === 'vgpu' && <Stat label="Virtual GPU" value="vGPU guest" />}
        {gpu.driverModel && <Stat label="Driver model" value={gpu.driverModel} />}
      </StatGrid>
      {usable && (
        <>
          <div className="device-gauges" data-testid={`gauges-${gpu.id}`}>
            <Gauge label="Utilisation" value={ratio(live?.utilizationPct, 100)} />
            <Gauge label="Memory" value={ratio(live?.memoryUsedMiB, live?.memoryTotalMiB ?? gpu.vramMiB)} display={gib(live?.memoryUsedMiB)} tone="info" />
            <Gauge label="Temperature" value={ratio(live?.temperatureC, 100)} display={unit(live?.temperatureC, '°')} tone={tempTone} />
            <Gauge label="Power" value={ratio(live?.powerDrawW, live?.powerLimitW)} display={unit(live?.powerDrawW, ' W')} tone="warn" />
            <div className="device-gauges__extra">
              <Stat label="Fan" value={unit(live?.fanPct, ' %')} />
              <Stat label="Clocks" value={`${unit(live?.clockGraphicsMHz, '')} / ${unit(live?.clockMemoryMHz, ' MHz')}`} hint="graphics / memory" />
              <Stat label="Power limit" value={unit(live?.powerLimitW, ' W')} />
            </div>
          </div>
          <TelemetryChart
            label={`${gpuDisplayName(gpu)}: utilisation and temperature, last ${samples.length} readings`}
            {...(times ? { times } : {})}
            series={[
              { label: 'Utilisation', unit: '%', values: samples.map((s) => s.utilizationPct), min: 0, max: 100, tone: 'accent' },
              { label: 'Temperature', unit: '°C', values: samples.map((s) => s.temperatureC), min: 0, max: 100, tone: 'info' },
            ]}
          />
          {live && live.otherProcesses.length > 0 && (
            <Notice tone="warn" title="Another program is computing on this GPU">
              {live.otherProcesses.map((p) => `${p.name.split(/[\\/]/).pop()} (pid ${p.pid})`).join(', ')}. Hearth waits until it is done.
            </Notice>
          )}
          <BenchmarkPanel deviceId={gpu.id} record={record} status={benchmark} canRun={gpu.vendor === 'nvidia'} onRun={onBenchmark} />
        </>
      )}
      <DeviceControls deviceId={gpu.id} vramMiB={gpu.vramMiB} disabledReason={usable ? null : 'Hearth cannot run jobs on this device.'} />
    </Card>
  );
}
