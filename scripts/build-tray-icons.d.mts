// Types of build-tray-icons.mjs, for its test.
export const TRAY_STATES: readonly string[];
export const GLYPH: { light: string; dark: string };
export const SIZE: number;
export function variantSvg(svg: string, variant: 'light' | 'dark' | 'template'): string;
export function trayIconFiles(state: string): { name: string; variant: 'light' | 'dark' | 'template'; size: number }[];
export function buildTrayIcons(outDir?: string): Promise<string[]>;
