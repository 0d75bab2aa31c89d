import type { BenchmarkRecord, BenchmarkStatus } from '../../../../common/hardware.ts';
import { formatTimestamp } from '../../state/format.ts';
import { Button, Notice, ProgressBar, Stat } from '../../ui/index.ts';
import { score } from './format.ts';

const phaseLabel = { loading: 'Loading the model…', warmup: 'Warming up…', measuring: 'Measuring…' } as const;

/** The device's score, and a Run benchmark button with a progress bar while it runs. */
export function BenchmarkPanel({
  deviceId,
  record,
  status,
  canRun,
  onRun,
}: {
  deviceId: string;
  record: BenchmarkRecord | undefined;
  status: BenchmarkStatus | null;
  canRun: boolean;
  onRun: () => void;
}) {
  const mine = status?.deviceId === deviceId ? status : null;
  const running = status?.state === 'running';
  return (
    <div className="device-benchmark">
      <Stat
        label="Benchmark score"
        value={record ? `${score(record.inferencesPerSecond)} inferences/s` : 'Not measured yet'}
        hint={record ? `${record.modelId} on ${record.provider.toUpperCase()} · ${formatTimestamp(record.at)}` : 'A short run of a real model gives this device a score.'}
      />
      {mine?.state === 'running' ? (
        <ProgressBar value={mine.progress} label={mine.phase ? phaseLabel[mine.phase] : 'Starting…'} />
      ) : (
        <Button size="sm" onClick={onRun} disabled={!canRun || running} data-testid={`benchmark-${deviceId}`}>
          {record ? 'Run benchmark again' : 'Run benchmark'}
        </Button>
      )}
      {mine?.state === 'failed' && mine.error && (
        <Notice tone={mine.error.code === 'hardware_gpu_fallback' ? 'warn' : 'error'} title="Benchmark">
          {mine.error.message}
        </Notice>
      )}
    </div>
  );
}
