// A Vega-Lite spec to a PNG, server-side, with no browser and no native build step: Vega-Lite
// compiles the spec to Vega, a headless Vega view (renderer 'none') writes SVG, and resvg (a Rust
// SVG renderer shipped as prebuilt binaries) rasterises it off the main thread.
//
// The PNG is always exactly `size`: the chart is scaled to fit the box and centred on white, so
// a Slack preview of any report has the same shape. Text needs a TrueType/OpenType font on the
// machine (DejaVu Sans or Liberation Sans are asked for first; any sans-serif font will do).
import { renderAsync } from '@resvg/resvg-js';
import * as vega from 'vega';
import { None, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface ChartSize {
  width: number;
  height: number;
}

export interface ChartImage {
  png: Buffer;
  width: number;
  height: number;
  /** The SVG the PNG was drawn from (the chart's text is readable in it). */
  svg: string;
}

/** Readable in Slack's preview (about 600 px wide) and sharp when opened. */
export const CHART_SIZE: ChartSize = { width: 1200, height: 1000 };

// Vega lays text out by its width. With no canvas it guesses 0.8 em a character, far wider than
// the DejaVu Sans resvg draws with, so labels were cut short for room they did not need. These
// are DejaVu Sans advance widths (em), close enough for Liberation Sans and Arial too.
const NARROW = new Set([...' .,:;!|ijlI\'']);
const SEMI = new Set([...'frt()[]-“”‘’/']);
const WIDE = new Set([...'mwMW@%']);
function charEm(ch: string): number {
  if (NARROW.has(ch)) return 0.3;
  if (SEMI.has(ch)) return 0.4;
  if (WIDE.has(ch)) return 0.92;
  if (/[A-Z]/.test(ch)) return 0.7;
  return 0.62;
}
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  text?: unknown;
}
const metrics = (vega as unknown as { textMetrics?: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
if (metrics) {
  metrics.width = (item, text) => {
    const value = text == null ? '' : String(text).trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600 ? 1.08 : 1;
    let em = 0;
    for (const ch of value) em += charEm(ch);
    return em * size * bold;
  };
}

const quiet = {
  level() {
    return quiet;
  },
  error(...args: unknown[]) {
    throw new Error(args.map(String).join(' '));
  },
  warn: () => quiet,
  info: () => quiet,
  debug: () => quiet,
};

export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  // Vega-Lite's and Vega's console warnings (e.g. about merged scale domains) are not errors.
  const compiled = compile(spec, { logger: quiet }).spec;
  const view = new View(parse(compiled), { renderer: 'none', logLevel: None });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The SVG's root made `size` (its drawing kept whole and centred). */
function fitSvg(svg: string, size: ChartSize): string {
  return svg.replace(/^<svg([^>]*)>/, (_root, attributes: string) => {
    const width = Number(/\swidth="([\d.]+)"/.exec(attributes)?.[1]);
    const height = Number(/\sheight="([\d.]+)"/.exec(attributes)?.[1]);
    if (!width || !height) throw new Error('Vega wrote an SVG without a width and height');
    const rest = attributes.replace(/\s(width|height|viewBox|preserveAspectRatio)="[^"]*"/g, '');
    return `<svg${rest} width="${size.width}" height="${size.height}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid meet">`;
  });
}

export async function renderChartPng(spec: TopLevelSpec, size: ChartSize = CHART_SIZE): Promise<ChartImage> {
  const svg = await renderChartSvg(spec);
  const image = await renderAsync(fitSvg(svg, size), {
    background: 'white',
    fitTo: { mode: 'width', value: size.width },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return { png: image.asPng(), width: image.width, height: image.height, svg };
}
