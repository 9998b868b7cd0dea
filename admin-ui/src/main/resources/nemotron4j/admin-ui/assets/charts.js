// Hand-written SVG charts: bars over time, optionally stacked by series. They scale to their container (viewBox)
// and take their colours from CSS variables, so both themes apply.

import { fmtCompact, svg, h } from './dom.js';

const HEIGHT = 240;
const PAD = { top: 12, right: 12, bottom: 28, left: 48 };

/**
 * A bar chart.
 * @param {Array<{label: string, title?: string, values: number[]}>} points one bar per point, one segment per series
 * @param {Array<{name: string, color: string}>} series the segments' names and CSS colours
 * @param {string} caption what the chart shows, for screen readers
 * @param {number} width the width to draw at, in CSS pixels (the container's), so that text keeps its size
 */
export function barChart(points, series, caption, width) {
  const chartWidth = Math.max(280, Math.round(width || 720));
  const totals = points.map((p) => p.values.reduce((a, b) => a + b, 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotW = chartWidth - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(2, Math.min(36, slot * 0.7));
  const y = (v) => PAD.top + plotH - (max === 0 ? 0 : (v / max) * plotH);

  const grid = [];
  for (let i = 0; i <= 4; i += 1) {
    const value = (max / 4) * i;
    grid.push(svg('line', { x1: PAD.left, x2: chartWidth - PAD.right, y1: y(value), y2: y(value), class: 'chart-grid' }));
    grid.push(svg('text', { x: PAD.left - 6, y: y(value) + 4, class: 'chart-axis', 'text-anchor': 'end' }, fmtCompact(value)));
  }
  const labelEvery = Math.ceil(points.length / Math.max(2, Math.floor(plotW / 64)));
  const bars = points.map((point, i) => {
    const x = PAD.left + slot * i + (slot - barW) / 2;
    let base = 0;
    const segments = point.values.map((value, s) => {
      const top = y(base + value);
      const rect = svg('rect', {
        x, y: top, width: barW, height: Math.max(0, y(base) - top), rx: 2,
        style: `fill: ${series[s].color}`,
      });
      base += value;
      return rect;
    });
    const tooltip = svg('title', {}, `${point.title ?? point.label}: ${point.values.map((v, s) => `${series[s].name} ${v.toLocaleString()}`).join(', ')}`);
    const label = i % labelEvery === 0
      ? svg('text', { x: x + barW / 2, y: HEIGHT - 8, class: 'chart-axis', 'text-anchor': 'middle' }, point.label)
      : null;
    return svg('g', { class: 'chart-bar' }, tooltip, ...segments, label);
  });
  const chart = svg('svg', {
    viewBox: `0 0 ${chartWidth} ${HEIGHT}`, role: 'img', 'aria-label': caption, class: 'chart', preserveAspectRatio: 'none',
  }, ...grid, ...bars);
  const legend = series.length > 1
    ? h('ul', { class: 'legend' }, series.map((s) => h('li', {}, h('span', { class: 'swatch', style: `background: ${s.color}` }), s.name)))
    : null;
  const empty = points.length === 0 || max === 0 ? h('p', { class: 'chart-empty muted' }, 'No tokens in this range yet.') : null;
  return h('figure', { class: 'chart-figure' }, chart, empty, legend);
}

/** A round upper bound for the axis: 1, 2 or 5 times a power of ten. */
function niceMax(value) {
  if (value <= 0) return 0;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power;
  }
  return 10 * power;
}

/** A horizontal bar of usage against a limit: value, limit (null: no limit), its label. */
export function meter(value, limit, label) {
  const ratio = limit ? Math.min(1, value / limit) : 0;
  const state = !limit ? 'none' : ratio >= 1 ? 'over' : ratio >= 0.8 ? 'warn' : 'ok';
  return h('div', { class: `meter meter-${state}` },
    h('div', {
      class: 'meter-track', role: 'meter', 'aria-label': label, 'aria-valuemin': 0,
      'aria-valuemax': limit ?? value, 'aria-valuenow': value,
    }, h('div', { class: 'meter-fill', style: `width: ${(ratio * 100).toFixed(1)}%` })),
    h('span', { class: 'meter-text' }, limit ? `${fmtCompact(value)} / ${fmtCompact(limit)}` : `${fmtCompact(value)} · no limit`));
}
