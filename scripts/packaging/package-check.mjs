// What a packaged Hearth must and must not contain for its target platform. Used by the
// afterPack hook (build/after-pack.mjs) on every `npm run dist`, and by the packaging test.
import { closeSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

// @foundry-rs/anvil names its packages with Go's architecture names.
const ANVIL_ARCH = { x64: 'amd64', arm64: 'arm64' };
const NATIVE_EXTENSIONS = { '.dll': 'win32', '.exe': 'win32', '.dylib': 'darwin', '.so': 'linux' };

/**
 * The files listed in an asar archive's header, with sizes and whether each lives in
 * app.asar.unpacked. The format is a Chromium pickle: [4][header size][4][json length][json].
 */
export function readAsarIndex(asarPath) {
  const fd = openSync(asarPath, 'r');
  let header;
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    const json = Buffer.alloc(head.readUInt32LE(12));
    readSync(fd, json, 0, json.length, 16);
    header = JSON.parse(json.toString('utf8'));
  } finally {
    closeSync(fd);
  }
  const files = [];
  const walk = (node, prefix) => {
    for (const [name, entry] of Object.entries(node.files ?? {})) {
      const path = prefix ? `${prefix}/${name}` : name;
      if (entry.files) walk(entry, path);
      else if (entry.link === undefined) files.push({ path, size: Number(entry.size ?? 0), unpacked: entry.unpacked === true });
    }
  };
  walk(header, '');
  return files;
}

/** Every file under `dir`, as forward-slash paths relative to it. */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** Bytes of everything under `dir`. */
export function sizeOf(dir) {
  return listFiles(dir).reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

/**
 * Paths (relative to the app root inside resources/) that carry another platform's or
 * architecture's native code. `platform` is Node's name (`linux`, `darwin`, `win32`).
 */
export function foreignBinaries(paths, platform, arch) {
  const own = `${platform}-${arch}`;
  return paths.filter((path) => {
    const ort = /onnxruntime-node\/bin\/napi-v\d+\/([^/]+)\/([^/]+)\//.exec(path);
    if (ort) return `${ort[1]}-${ort[2]}` !== own;
    const pty = /node-pty\/prebuilds\/([^/]+)\//.exec(path);
    if (pty) return pty[1] !== own;
    if (/node-pty\/third_party\//.test(path)) return platform !== 'win32' || !path.includes(`/win10-${arch}/`);
    if (/node-pty\/build\//.test(path) && platform !== 'linux') return true;
    const anvil = /@foundry-rs\/anvil-([a-z0-9]+)-([a-z0-9]+)\//.exec(path);
    if (anvil) return anvil[1] !== platform || anvil[2] !== ANVIL_ARCH[arch];
    const ext = /\.[a-z]+$/.exec(path)?.[0];
    const expected = ext ? NATIVE_EXTENSIONS[ext] : undefined;
    return expected !== undefined && expected !== platform;
  });
}

/** The native files the target's app cannot run without, relative to the app root. */
export function requiredBinaries(platform, arch) {
  const ort = `node_modules/onnxruntime-node/bin/napi-v6/${platform}/${arch}/onnxruntime_binding.node`;
  const pty = platform === 'linux' ? 'node_modules/node-pty/build/Release/pty.node' : `node_modules/node-pty/prebuilds/${platform}-${arch}/pty.node`;
  const anvil = `node_modules/@foundry-rs/anvil-${platform}-${ANVIL_ARCH[arch]}/bin/${platform === 'win32' ? 'anvil.exe' : 'anvil'}`;
  return [ort, pty, anvil];
}

/**
 * Problems with a packaged app's resources folder for its target: foreign binaries,
 * missing native files (which must sit in app.asar.unpacked), and the size over budget.
 * Returns the figures too, so callers can print them.
 */
export function checkResources(resourcesDir, platform, arch, budgetMb) {
  const asar = readAsarIndex(join(resourcesDir, 'app.asar'));
  const unpacked = listFiles(join(resourcesDir, 'app.asar.unpacked'));
  const problems = [];
  for (const path of foreignBinaries([...asar.map((f) => f.path), ...unpacked], platform, arch)) problems.push(`another platform's binary: ${path}`);
  for (const path of requiredBinaries(platform, arch)) {
    if (!unpacked.includes(path)) problems.push(`missing from app.asar.unpacked: ${path}`);
  }
  const bytes = statSync(join(resourcesDir, 'app.asar')).size + sizeOf(join(resourcesDir, 'app.asar.unpacked'));
  const mb = bytes / 1024 ** 2;
  if (budgetMb === undefined) problems.push(`no size budget for ${platform}-${arch} in build/size-budget.json`);
  else if (mb > budgetMb) problems.push(`app resources are ${mb.toFixed(1)} MB, over the ${budgetMb} MB budget for ${platform}-${arch}`);
  return { problems, mb, asar, unpacked };
}
