import type { BuildOptions } from 'esbuild';

/** esbuild options for the sandboxed preload bundle (see preload-build.mjs). */
export function preloadBuildOptions(outfile: string): BuildOptions & { outfile: string };
