// The font families charts ask for, apart from the renderer (render-png.ts), so a spec can name
// them without loading Vega and resvg.

/** In order; resvg takes the first one installed. */
export const CHART_FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';
