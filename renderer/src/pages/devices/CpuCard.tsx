import { CPU_DEVICE_ID, type BenchmarkRecord, type BenchmarkStatus, type HardwareInventory, type TelemetrySample } from '../../../../common/hardware.ts';
import { Badge, Card, Gauge, Stat, StatGrid } from '../../ui/index.ts';
import { BenchmarkPanel } from './BenchmarkPanel.tsx';
import { DeviceControls } from './DeviceControls.tsx';
import { gib, ratio } from './format.ts';
import { TelemetryChart } from './TelemetryChart.tsx';

/** The processor and memory: always present, and the fallback when no GPU is usable. */
export function CpuCard({
  inventory,
  samples,
  record,
  benchmark,
  onBenchmark,
}: {
  inventory: HardwareInventory;
  samples: readonly TelemetrySample[];
  record: BenchmarkRecord | undefined;
  benchmark: BenchmarkStatus | null;
  onBenchmark: () => void;
}) {
  const { cpu, ram, os } = inventory;
  const live = samples.at(-1);
  return (
    <Card
      className="device-card"
      data-device-id={CPU_DEVICE_ID}
      title={cpu.model}
      description={`Processor · ${os.distro} ${os.release} (${os.arch})`}
      actions={<Badge tone={inventory.cpuOnly ? 'accent' : 'idle'}>{inventory.cpuOnly ? 'Earning device' : 'Fallback'}</Badge>}
    >
      <StatGrid columns={4}>
        <Stat label="Cores" value={`${cpu.physicalCores} cores`} hint={`${cpu.logicalCores} threads`} />
        <Stat label="Speed" value={cpu.speedGHz ? `${cpu.speedGHz} GHz` : '–'} />
        <Stat label="Memory" value={gib(ram.totalMiB)} hint={ram.availableMiB !== null ? `${gib(ram.availableMiB)} available at start` : undefined} />
        <Stat label="Architecture" value={cpu.arch} />
      </StatGrid>
      <div className="device-gauges">
        <Gauge label="CPU load" value={ratio(live?.cpuPct, 100)} />
        <Gauge label="Memory used" value={ratio(live?.ramUsedMiB, ram.totalMiB)} display={gib(live?.ramUsedMiB)} tone="info" />
      </div>
      <TelemetryChart
        label={`CPU load, last ${samples.length} readings`}
        times={samples.map((s) => s.at)}
        series={[{ label: 'CPU load', unit: '%', values: samples.map((s) => s.cpuPct), min: 0, max: 100, tone: 'accent' }]}
      />
      <BenchmarkPanel deviceId={CPU_DEVICE_ID} record={record} status={benchmark} canRun onRun={onBenchmark} />
      <DeviceControls deviceId={CPU_DEVICE_ID} vramMiB={null} disabledReason={null} />
    </Card>
  );
}
