export const SIZES: number[];
export function icoFromPngs(entries: { size: number; png: Buffer }[]): Buffer;
export function icnsFromPngs(elements: { type: string; png: Buffer }[]): Buffer;
export function buildIcons(svgPath: string, outDir: string): Promise<string[]>;
