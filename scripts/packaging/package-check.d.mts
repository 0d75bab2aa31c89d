export interface AsarFile {
  path: string;
  size: number;
  unpacked: boolean;
}
export function readAsarIndex(asarPath: string): AsarFile[];
export function listFiles(dir: string): string[];
export function sizeOf(dir: string): number;
export function foreignBinaries(paths: string[], platform: string, arch: string): string[];
export function requiredBinaries(platform: string, arch: string): string[];
export function checkResources(
  resourcesDir: string,
  platform: string,
  arch: string,
  budgetMb: number | undefined,
): { problems: string[]; mb: number; asar: AsarFile[]; unpacked: string[] };
