// Overview: the model, the engine right now, tokens per hour over the last day, the busiest tenants.

import { api, actuator, actuatorBase } from '../api.js';
import { barChart, meter } from '../charts.js';
import { fmtBytes, fmtCompact, fmtDec, fmtInt, fmtMillis, h, replace } from '../dom.js';
import { card, pageHead, table } from '../ui.js';

const REFRESH_MS = 5000;

export async function render(main) {
  const model = h('div', { id: 'model-facts' }, h('p', { class: 'muted' }, 'Loading…'));
  const live = h('div', { class: 'grid grid-4', id: 'live-figures', 'aria-live': 'polite' });
  const chart = h('div', { id: 'hourly-chart' });
  const top = h('div', { id: 'top-tenants' });
  main.append(
    pageHead('Overview', 'The model in this application and how it is being used.'),
    live,
    h('div', { class: 'grid grid-main', style: 'margin-top: 1rem' },
      card('Tokens per hour, last 24 hours', chart),
      card('Model', model)),
    h('div', { style: 'margin-top: 1rem' }, card('Top tenants today', top)));

  const refresh = async () => {
    const [engine, ttft, tenants, hourly] = await Promise.all([
      actuator('nemotron'), actuator('metrics/nemotron.time.to.first.token'), api.tenants(), api.hourly(24),
    ]);
    renderModel(model, engine?.model ?? (await actuator('info'))?.nemotron);
    renderLive(live, engine?.generations, ttft);
    renderHourly(chart, hourly);
    renderTopTenants(top, tenants);
  };
  await refresh();
  const timer = setInterval(() => {
    if (!document.hidden) refresh().catch(() => undefined);
  }, REFRESH_MS);
  return () => clearInterval(timer);
}

function renderModel(target, facts) {
  if (!facts) {
    replace(target, h('p', { class: 'muted' }, actuatorBase
      ? 'The nemotron Actuator endpoint is not exposed (management.endpoints.web.exposure.include).'
      : 'Actuator runs on a separate management port, out of this page\'s reach.'));
    return;
  }
  const rows = [
    ['Name', facts.name],
    ['Parameters', facts.parameters ? `${fmtCompact(facts.parameters)}` : '—'],
    ['File size', fmtBytes(facts.fileSizeBytes)],
    ['Quantization', quantization(facts)],
    ['Context', facts.contextLength ? `${fmtInt(facts.contextLength)} tokens` : '—'],
    ['Backend', facts.backend ? `${facts.backend}${facts.threads ? ` · ${facts.threads} thread${facts.threads === 1 ? '' : 's'}` : ''}` : '—'],
    ['Kernels', facts.kernels ?? '—'],
    ['Architecture', facts.layers ? `${facts.architecture ?? ''} · ${facts.layers} layers` : facts.architecture],
  ];
  replace(target, h('dl', { class: 'facts' }, rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value ?? '—')])));
}

function quantization(facts) {
  if (!facts.quantization) return h('span', { class: 'muted' }, 'not reported');
  return facts.quantization === 'mixed' ? `mixed (mostly ${facts.weightType})` : facts.quantization;
}

function renderLive(target, generations, ttft) {
  const stats = Object.fromEntries((ttft?.measurements ?? []).map((m) => [m.statistic, m.value]));
  const meanTtftMs = stats.COUNT ? (stats.TOTAL_TIME / stats.COUNT) * 1000 : null;
  const stat = (label, value, unit, id) => h('section', { class: 'card', 'aria-label': label },
    h('div', { class: 'stat-label' }, label),
    h('div', { class: 'stat-value', id }, h('span', { class: 'stat-number' }, value), unit ? h('span', { class: 'stat-unit' }, unit) : null));
  replace(target,
    stat('Active requests', fmtInt(generations?.activeSequences), generations ? `of ${generations.maxConcurrentGenerations}` : null, 'stat-active'),
    stat('Queued requests', fmtInt(generations?.queuedRequests), null, 'stat-queued'),
    stat('Decode speed', fmtDec(generations?.decodeTokensPerSecond), 'tokens/s', 'stat-decode'),
    stat('Time to first token', meanTtftMs === null ? '—' : fmtMillis(Math.round(meanTtftMs)), stats.COUNT ? `mean of ${fmtInt(stats.COUNT)}` : null, 'stat-ttft'));
}

function renderHourly(target, hourly) {
  const points = hourly.map((row) => {
    const at = new Date(row.hour);
    return {
      label: at.toLocaleTimeString(undefined, { hour: '2-digit' }),
      title: at.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }),
      values: [row.tokens],
    };
  });
  const total = hourly.reduce((sum, row) => sum + row.tokens, 0);
  replace(target,
    barChart(points, [{ name: 'Tokens', color: 'var(--series-1)' }], `Tokens per hour over the last 24 hours, ${total} in all`, target.clientWidth),
    h('p', { class: 'muted', style: 'margin: .5rem 0 0' }, `${fmtInt(total)} tokens in the last 24 hours.`));
}

function renderTopTenants(target, tenants) {
  const busiest = [...tenants].sort((a, b) => (b.usage?.tokensToday ?? 0) - (a.usage?.tokensToday ?? 0)).slice(0, 5);
  replace(target, table(
    ['Tenant', 'Tokens today (vs daily limit)', { label: 'This month', class: 'num hide-phone' }, { label: 'Active', class: 'num hide-phone' }],
    busiest.map((t) => h('tr', {},
      h('td', { class: 'nowrap' }, h('a', { href: `#/tenants/${t.id}` }, t.name)),
      h('td', {}, meter(t.usage?.tokensToday ?? 0, t.limits?.tokensPerDay, `${t.name}: tokens today`)),
      h('td', { class: 'num hide-phone' }, fmtInt(t.usage?.tokensThisMonth)),
      h('td', { class: 'num hide-phone' }, fmtInt(t.usage?.activeRequests)))),
    { empty: 'No tenants yet. Create one under Tenants.' }));
}
