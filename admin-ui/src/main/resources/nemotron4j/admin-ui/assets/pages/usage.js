// Usage: tokens by type and cost per tenant and period, as a chart and a table, with CSV and JSON-lines export.

import { api } from '../api.js';
import { barChart } from '../charts.js';
import { fmtInt, fmtMoney, h, isoDate, replace } from '../dom.js';
import { card, field, pageHead, table, tenantOptions } from '../ui.js';

const SERIES = [
  { name: 'Input', color: 'var(--series-3)' },
  { name: 'Reasoning', color: 'var(--series-2)' },
  { name: 'Output', color: 'var(--series-1)' },
];

export async function render(main) {
  const tenants = await api.tenants();
  const form = h('form', { class: 'filters', id: 'usage-filters' },
    field('Tenant', 'tenant', { options: tenantOptions(tenants, 'All tenants') }),
    field('From', 'from', { type: 'date', value: isoDate(-29) }),
    field('To', 'to', { type: 'date', value: isoDate(0) }),
    field('Group by', 'groupBy', { value: 'day', options: [['day', 'Day'], ['week', 'Week'], ['month', 'Month']] }),
    h('button', { class: 'button', type: 'submit' }, 'Show'));
  const exports = h('div', { class: 'form-actions', style: 'margin: 0' });
  const chart = h('div', { id: 'usage-chart' });
  const rows = h('div', { id: 'usage-table' });
  main.append(
    pageHead('Usage', 'Booked tokens by type and their cost. Days are each tenant\'s local days.', exports),
    form,
    card('Tokens by type', chart),
    h('h2', { style: 'margin-top: 1.5rem' }, 'Details'),
    rows);

  const load = async () => {
    const params = Object.fromEntries(new FormData(form));
    const report = await api.usage(params);
    replace(exports,
      h('a', { class: 'button ghost', href: api.usageExportUrl(params, 'csv'), download: 'usage.csv', id: 'usage-csv' }, 'Export CSV'),
      h('a', { class: 'button ghost', href: api.usageExportUrl(params, 'jsonl'), download: 'usage.jsonl' }, 'Export JSON lines'));
    replace(chart, barChart(byPeriod(report.rows), SERIES, 'Tokens by type per period', chart.clientWidth));
    const totals = report.totals ?? {};
    replace(rows, table(
      ['Period', 'Tenant', { label: 'Requests', class: 'num' }, { label: 'Input', class: 'num' }, { label: 'Reasoning', class: 'num' }, { label: 'Output', class: 'num' }, { label: 'Cost', class: 'num' }],
      report.rows.map((r) => h('tr', {},
        h('td', { class: 'nowrap' }, r.period), h('td', { class: 'nowrap' }, r.tenantName),
        h('td', { class: 'num' }, fmtInt(r.requests)), h('td', { class: 'num' }, fmtInt(r.inputTokens)),
        h('td', { class: 'num' }, fmtInt(r.reasoningTokens)), h('td', { class: 'num' }, fmtInt(r.outputTokens)),
        h('td', { class: 'num' }, fmtMoney(r.cost)))),
      {
        empty: 'No usage in this range.',
        footer: report.rows.length ? h('tfoot', {}, h('tr', {},
          h('td', { colspan: 2 }, 'Total'),
          h('td', { class: 'num' }, fmtInt(totals.requests)), h('td', { class: 'num' }, fmtInt(totals.inputTokens)),
          h('td', { class: 'num' }, fmtInt(totals.reasoningTokens)), h('td', { class: 'num' }, fmtInt(totals.outputTokens)),
          h('td', { class: 'num' }, fmtMoney(totals.cost)))) : null,
      }));
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  await load();
}

/** One bar per period, tenants summed, in date order. */
function byPeriod(rows) {
  const periods = new Map();
  for (const r of rows) {
    const sums = periods.get(r.period) ?? [0, 0, 0];
    sums[0] += r.inputTokens;
    sums[1] += r.reasoningTokens;
    sums[2] += r.outputTokens;
    periods.set(r.period, sums);
  }
  return [...periods.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([period, values]) => ({ label: shortPeriod(period), title: period, values }));
}

/** 2026-11-23 → 11-23, 2026-W48 → W48, 2026-11 stays: the year is in the range the user picked. */
function shortPeriod(period) {
  return /^\d{4}-(\d{2}-\d{2}|W\d{2})$/.test(period) ? period.slice(5) : period;
}
