// SVG charts drawn by hand (no library), each with a text summary and its data as a table for screen readers.
import { h, num, PALETTE } from './ui.js';
import { t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/**
 * A line chart of one or more series over time.
 * series: [{ key, points: [{ at, value }] }]; format: value formatter; label: what the chart shows.
 */
export function lineChart(series, { label, format = num, height = 220, colours = PALETTE } = {}) {
  const width = 760;
  const pad = { left: 56, right: 12, top: 10, bottom: 28 };
  const times = [...new Set(series.flatMap(x => x.points.map(p => p.at)))].sort();
  const values = series.flatMap(x => x.points.map(p => p.value)).filter(v => v !== null && v !== undefined);
  const figure = h('figure', { class: 'chart' });
  if (times.length === 0 || values.length === 0) {
    figure.append(h('p', { class: 'muted' }, t('chart.noData', { label })));
    return figure;
  }
  const t0 = Date.parse(times[0]);
  const t1 = Math.max(Date.parse(times[times.length - 1]), t0 + 1);
  const max = Math.max(...values, 0) || 1;
  const x = at => pad.left + (Date.parse(at) - t0) / (t1 - t0) * (width - pad.left - pad.right);
  const y = v => height - pad.bottom - v / max * (height - pad.top - pad.bottom);
  const total = values.reduce((a, b) => a + b, 0);
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': t('chart.summary', { label, series: series.length, points: times.length, max: format(max) }) });
  svg.append(s('line', { class: 'axis', x1: pad.left, y1: height - pad.bottom, x2: width - pad.right,
    y2: height - pad.bottom }));
  for (const fraction of [0, 0.5, 1]) {
    const v = max * fraction;
    svg.append(s('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, format(v)));
    svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), stroke: '#e3e7ed' }));
  }
  const ticks = Math.min(6, times.length);
  for (let i = 0; i < ticks; i++) {
    const at = times[Math.round(i * (times.length - 1) / Math.max(ticks - 1, 1))];
    svg.append(s('text', { x: x(at), y: height - 8, 'text-anchor': 'middle' },
      new Date(at).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })
      + (times.length > 1 && Date.parse(times[1]) - Date.parse(times[0]) < 86400000
        ? ' ' + new Date(at).toISOString().slice(11, 16) : '')));
  }
  series.forEach((one, i) => {
    const points = one.points.filter(p => p.value !== null && p.value !== undefined);
    if (points.length === 0) return;
    const path = points.map((p, j) => `${j ? 'L' : 'M'}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join('');
    svg.append(s('path', { d: path, fill: 'none', stroke: colours[i % colours.length], 'stroke-width': 2 }));
    if (points.length < 40) {
      for (const p of points) {
        svg.append(s('circle', { cx: x(p.at), cy: y(p.value), r: 2.5, fill: colours[i % colours.length] },
          s('title', {}, `${one.key}: ${format(p.value)} at ${p.at}`)));
      }
    }
  });
  figure.append(svg);
  if (series.length > 1) {
    figure.append(h('ul', { class: 'legend' }, series.map((one, i) => h('li', {},
      h('span', { class: 'swatch', style: { background: colours[i % colours.length] } }), one.key))));
  }
  figure.append(h('figcaption', { class: 'muted' }, series.length === 1 && format === num
    ? t('chart.captionTotal', { label, total: num(total) }) : label));
  figure.append(dataTable(series, times, format, label));
  return figure;
}

function dataTable(series, times, format, label) {
  const byKey = series.map(one => new Map(one.points.map(p => [p.at, p.value])));
  return h('details', {}, h('summary', {}, t('chart.dataTable')),
    h('table', {}, h('caption', {}, label),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('chart.time')),
        series.map(one => h('th', { scope: 'col', class: 'num' }, one.key)))),
      h('tbody', {}, times.map(at => h('tr', {}, h('th', { scope: 'row' }, at.replace('T', ' ').slice(0, 16)),
        byKey.map(m => h('td', { class: 'num' }, m.has(at) ? format(m.get(at)) : '–')))))));
}

/** Horizontal bars: items [{ label, value, href? }]. */
export function bars(items, { label, format = num } = {}) {
  if (items.length === 0) return h('p', { class: 'muted' }, t('chart.noData', { label }));
  const max = Math.max(...items.map(i => i.value), 1);
  return h('ul', { class: 'bars', 'aria-label': label }, items.map(item => h('li', {},
    h('span', {}, item.href ? h('a', { href: item.href }, item.label) : item.label),
    h('span', { class: 'bar', style: { width: `${item.value / max * 100}%` }, 'aria-hidden': 'true' }),
    h('span', { class: 'value' }, format(item.value)))));
}
