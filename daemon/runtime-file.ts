import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/fs/atomic-write.ts';
import { processAlive } from '../core/process-alive.ts';

/** How the CLI finds a running daemon or desktop app: written at start, removed at stop. */
export const runtimeInfo = z.object({
  shell: z.enum(['desktop', 'daemon']),
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65535),
  token: z.string().min(16),
  startedAt: z.number().int(),
});
export type RuntimeInfo = z.infer<typeof runtimeInfo>;

export const runtimeFilePath = (dataDir: string): string => join(dataDir, 'runtime.json');

export async function writeRuntimeFile(dataDir: string, info: RuntimeInfo): Promise<void> {
  await writeFileAtomic(runtimeFilePath(dataDir), JSON.stringify(info), 0o600, 'the runtime file (how the hearth command finds this Hearth)');
}

/** Reads the runtime file; null when absent, unreadable, or left by a process that is gone. */
export async function readRuntimeFile(dataDir: string): Promise<RuntimeInfo | null> {
  let text: string;
  try {
    text = await readFile(runtimeFilePath(dataDir), 'utf8');
  } catch {
    return null;
  }
  let parsed: ReturnType<typeof runtimeInfo.safeParse>;
  try {
    parsed = runtimeInfo.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed.success || !processAlive(parsed.data.pid)) return null;
  return parsed.data;
}

export async function removeRuntimeFile(dataDir: string, pid: number): Promise<void> {
  // Only remove our own file: a second instance must not delete the first one's.
  const current = await readRuntimeFile(dataDir);
  if (current && current.pid !== pid) return;
  await unlink(runtimeFilePath(dataDir)).catch(() => undefined);
}

