/**
 * The chart theme both chart webviews (Resources view, run panel) draw with: VS Code's chart colours
 * and the axis style, read from the theme's CSS variables at draw time (fallbacks are the Dark+
 * values), so light, dark and high-contrast themes all work. Redraw on onThemeChange.
 */
import type uPlot from 'uplot';
import { themeColor } from './vscodeApi';

/** The theme's chart palette. */
export const chartColor = {
  blue: () => themeColor('--vscode-charts-blue', '#3794ff'),
  yellow: () => themeColor('--vscode-charts-yellow', '#cca700'),
  green: () => themeColor('--vscode-charts-green', '#89d185'),
  orange: () => themeColor('--vscode-charts-orange', '#d18616'),
  purple: () => themeColor('--vscode-charts-purple', '#b180d7'),
  red: () => themeColor('--vscode-charts-red', '#f14c4c'),
};

/** Series that have no meaning of their own (per-core lines, several runs) cycle through these. */
export const CYCLE: (keyof typeof chartColor)[] = ['purple', 'green', 'orange', 'yellow', 'red'];

/** The editor's font at a chart's size. */
export const chartFont = (px = 11): string => `${px}px ${themeColor('--vscode-font-family', 'sans-serif')}`;

/** What every axis shares: text colour, grid and ticks, font. */
export function axisStyle(): Pick<uPlot.Axis, 'stroke' | 'grid' | 'ticks' | 'font'> {
  const grid = { stroke: themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)'), width: 1 };
  return { stroke: themeColor('--vscode-descriptionForeground', '#888'), grid, ticks: grid, font: chartFont() };
}
