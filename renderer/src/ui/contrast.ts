/**
 * WCAG contrast arithmetic over the theme tokens, for tokens.test.ts. Only the two colour
 * forms tokens.css uses are read (`#rrggbb` and `rgb(r g b / a%)`); anything else is an error,
 * so a new form cannot slip past the check.
 */

/** Red, green, blue in 0..255 and alpha in 0..1. */
export type Rgba = [number, number, number, number];

export function parseColor(value: string): Rgba {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(value.trim());
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16), 1];
  const rgb = /^rgb\((\d+) (\d+) (\d+) \/ (\d+)%\)$/.exec(value.trim());
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), Number(rgb[4]) / 100];
  throw new Error(`Unsupported colour in the tokens: ${value}`);
}

/** A translucent colour laid over an opaque one. */
export function over(top: Rgba, below: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
}

function luminance([r, g, b]: Rgba): number {
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The `--color-*` values of one theme's block in tokens.css, by name without the prefix. */
export function themeTokens(css: string, theme: 'dark' | 'light'): Map<string, string> {
  const start = css.indexOf(`:root[data-theme='${theme}'] {`);
  if (start < 0) throw new Error(`tokens.css has no ${theme} theme block`);
  const body = css.slice(start, css.indexOf('}', start));
  return new Map([...body.matchAll(/--color-([\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}
