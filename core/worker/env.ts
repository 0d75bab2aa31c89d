/**
 * The environment the worker is started with. It is built from an allowlist: the worker
 * runs third-party model code and must never see wallet passwords, API tokens or RPC
 * URLs (which often embed keys). Even allowlisted names are dropped when they look secret.
 */
const ALLOWED = [
  'PATH',
  'TMPDIR',
  'TMP',
  'TEMP',
  'LANG',
  'LC_ALL',
  'TZ',
  // Windows needs these to load DLLs (DirectML, the VC runtime).
  'SYSTEMROOT',
  'SystemRoot',
  'WINDIR',
  'windir',
  'PATHEXT',
  'COMSPEC',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
  // GPU runtimes: where CUDA lives and which devices the worker may use.
  'LD_LIBRARY_PATH',
  'CUDA_PATH',
  'CUDA_HOME',
  'CUDA_VISIBLE_DEVICES',
  'NVIDIA_VISIBLE_DEVICES',
  'HIP_VISIBLE_DEVICES',
  'ROCR_VISIBLE_DEVICES',
];

const SECRET_LOOKING = /KEY|TOKEN|SECRET|PASS|MNEMONIC|SEED|PRIVATE|WALLET|RPC|CREDENTIAL|AUTH|COOKIE|SESSION/i;

/** Builds the worker's environment from `source` (normally process.env) plus Hearth's own worker settings. */
export function scrubbedWorkerEnv(source: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ALLOWED) {
    const value = source[name];
    if (value !== undefined && !SECRET_LOOKING.test(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) {
    if (!SECRET_LOOKING.test(name)) env[name] = value;
  }
  env.HEARTH_WORKER = '1';
  return env;
}
