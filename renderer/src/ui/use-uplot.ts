import { useEffect, type RefObject } from 'react';
import type uPlot from 'uplot';

/** A design token's value (colours, fonts) as uPlot needs it: read from the live theme. */
export function themeToken(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Canvas charts need a real layout engine; jsdom (tests) has neither canvas nor ResizeObserver. */
function canDraw(): boolean {
  if (typeof ResizeObserver === 'undefined') return false;
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

export type ChartDraw = (UPlot: typeof uPlot, width: number) => { options: uPlot.Options; data: uPlot.AlignedData };

/**
 * A uPlot chart in `host`, drawn by `draw` (null: nothing to draw). uPlot is loaded on first
 * draw (it needs a real canvas, and pages should not wait for it); the chart follows the
 * container's width, is rebuilt when the theme changes (colours are read from the tokens once)
 * and is destroyed on unmount. Pass a `draw` that changes only when the data does.
 */
export function useUPlot(host: RefObject<HTMLDivElement | null>, draw: ChartDraw | null, height: number): void {
  useEffect(() => {
    const el = host.current;
    if (!el || !draw || !canDraw()) return undefined;
    let plot: uPlot | null = null;
    let resize: ResizeObserver | null = null;
    let theme: MutationObserver | null = null;
    let live = true;
    void import('uplot').then(({ default: UPlot }) => {
      if (!live) return;
      const build = () => {
        plot?.destroy();
        const { options, data } = draw(UPlot, Math.max(200, el.clientWidth));
        plot = new UPlot(options, data, el);
      };
      build();
      resize = new ResizeObserver(() => {
        if (plot && el.clientWidth > 0 && Math.abs(plot.width - el.clientWidth) > 1) plot.setSize({ width: el.clientWidth, height });
      });
      resize.observe(el);
      theme = new MutationObserver(build);
      theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    });
    return () => {
      live = false;
      resize?.disconnect();
      theme?.disconnect();
      plot?.destroy();
      plot = null;
    };
  }, [host, draw, height]);
}
