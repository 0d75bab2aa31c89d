/** Benchmark scores on disk (`<dataDir>/hardware/benchmarks.json`), newest per device. */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { benchmarkRecordSchema, type BenchmarkRecord } from '../../common/hardware.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';

const fileSchema = z.object({ version: z.literal(1), records: z.array(benchmarkRecordSchema) });

export function benchmarksPath(dataDir: string): string {
  return join(dataDir, 'hardware', 'benchmarks.json');
}

/** Reads stored scores; a missing or unreadable file means none (scores can be measured again). */
export async function loadBenchmarks(dataDir: string): Promise<BenchmarkRecord[]> {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(await readFile(benchmarksPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data.records : [];
  } catch {
    return [];
  }
}

/** Stores the newest score per device. */
export async function saveBenchmarks(dataDir: string, records: readonly BenchmarkRecord[]): Promise<void> {
  await mkdir(dirname(benchmarksPath(dataDir)), { recursive: true, mode: 0o700 });
  await writeFileAtomic(benchmarksPath(dataDir), `${JSON.stringify({ version: 1, records }, null, 2)}\n`, 0o600, 'the benchmark results');
}
