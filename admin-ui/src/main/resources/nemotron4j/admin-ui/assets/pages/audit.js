// Audit: the request log (filters, cursor pagination, detail), the admin-change log, and chain verification.

import { api } from '../api.js';
import { fmtInt, fmtMillis, fmtMoney, fmtShortTime, fmtTime, h, localToInstant, replace } from '../dom.js';
import { clearErrors, field, openDialog, outcomeBadge, pageHead, showFieldErrors, tenantOptions } from '../ui.js';

const OUTCOMES = ['STARTED', 'COMPLETED', 'REJECTED', 'FAILED', 'CANCELLED', 'ABANDONED'];
const PAGE_SIZE = 50;

export async function render(main, { args }) {
  const tenants = await api.tenants();
  const names = new Map(tenants.map((t) => [t.id, t.name]));
  const verifyResult = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const verifyButton = h('button', { class: 'button ghost', type: 'button', id: 'verify-chain' }, 'Verify chain');
  verifyButton.addEventListener('click', () => verify(verifyButton, verifyResult));
  const panel = h('div', { id: 'audit-panel', role: 'tabpanel' });
  const tab = (id, label) => h('button', { type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': 'audit-panel', 'aria-selected': 'false' }, label);
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Audit logs' },
    tab('requests', 'Requests'), tab('admin', 'Admin changes'), tab('retention', 'Retention'));
  main.append(pageHead('Audit', 'Every request and every admin change, append-only and hash-chained.', verifyButton), verifyResult, tabs, panel);

  const show = (which) => {
    for (const button of tabs.children) button.setAttribute('aria-selected', String(button.id === `tab-${which}`));
    panel.setAttribute('aria-labelledby', `tab-${which}`);
    replace(panel);
    if (which === 'admin') return adminLog(panel);
    if (which === 'retention') return retention(panel);
    return requestLog(panel, tenants, names);
  };
  tabs.addEventListener('click', (event) => {
    const which = event.target.closest('button')?.id?.replace('tab-', '');
    if (which) {
      history.replaceState(null, '', `#/audit/${which}`);
      show(which);
    }
  });
  await show(['admin', 'retention'].includes(args[0]) ? args[0] : 'requests');
}

async function requestLog(panel, tenants, names) {
  const form = h('form', { class: 'filters', id: 'audit-filters' },
    field('Tenant', 'tenant', { options: tenantOptions(tenants, 'All tenants') }),
    field('Outcome', 'outcome', { options: [['', 'Any outcome'], ...OUTCOMES.map((o) => [o, o.toLowerCase()])] }),
    field('From', 'from', { type: 'datetime-local', wide: true }),
    field('To', 'to', { type: 'datetime-local', wide: true }),
    field('Search', 'q', { type: 'search', wide: true, attrs: { placeholder: 'model, principal, address, trace id, detail' } }));
  const exports = h('div', { class: 'toolbar-end' });
  const toolbar = h('div', { class: 'toolbar' }, h('button', { class: 'button', type: 'submit', form: 'audit-filters' }, 'Search'), exports);
  const body = h('tbody', {});
  const more = h('button', { class: 'button ghost', type: 'button', id: 'load-more', hidden: true }, 'Load more');
  const count = h('p', { class: 'muted', 'aria-live': 'polite', id: 'audit-count' });
  panel.append(form, toolbar, h('div', { class: 'table-wrap' }, h('table', { id: 'audit-table' },
    h('thead', {}, h('tr', {}, ['Time', 'Tenant', 'Outcome', 'Model', 'Tokens in / reasoning / out', 'First token', 'Duration', 'Finish']
      .map((label, i) => h('th', { scope: 'col', class: i >= 4 && i <= 6 ? 'num' : null }, label)))),
    body)), h('div', { class: 'form-actions' }, count, more));

  let cursor = null;
  let shown = 0;
  const params = () => {
    const values = Object.fromEntries(new FormData(form));
    return { ...values, from: localToInstant(values.from), to: localToInstant(values.to) };
  };
  const load = async (reset) => {
    if (reset) {
      cursor = null;
      shown = 0;
      body.replaceChildren();
      replace(exports,
        h('a', { class: 'button ghost small', href: api.auditExportUrl(params(), 'csv'), download: 'audit.csv' }, 'Export CSV'),
        h('a', { class: 'button ghost small', href: api.auditExportUrl(params(), 'jsonl'), download: 'audit.jsonl' }, 'Export JSON lines'));
    }
    const page = await api.auditRequests({ ...params(), limit: PAGE_SIZE, cursor });
    for (const row of page.items) body.append(requestRow(row, names));
    shown += page.items.length;
    if (!shown) body.append(h('tr', { class: 'empty-row' }, h('td', { colspan: 8 }, 'No requests match.')));
    cursor = page.nextCursor;
    more.hidden = !cursor;
    count.textContent = `${fmtInt(shown)} request${shown === 1 ? '' : 's'} shown${cursor ? ', more available' : ''}.`;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load(true);
  });
  more.addEventListener('click', () => load(false));
  await load(true);
}

function requestRow(row, names) {
  const open = () => showRequest(row.id, names);
  return h('tr', {
    class: 'clickable', tabindex: 0, dataset: { request: row.id },
    onclick: open, onkeydown: (event) => { if (event.key === 'Enter') open(); },
  },
  h('td', { class: 'nowrap' }, fmtShortTime(row.startedAt)),
  h('td', { class: 'nowrap' }, names.get(row.tenantId) ?? row.tenantId ?? '—'),
  h('td', {}, outcomeBadge(row.outcome), row.rejectLimit ? h('div', { class: 'muted', style: 'font-size: .8rem' }, row.rejectLimit) : null),
  h('td', { class: 'truncate', title: row.model }, row.model),
  h('td', { class: 'num' }, `${fmtInt(row.inputTokens)} / ${fmtInt(row.reasoningTokens)} / ${fmtInt(row.outputTokens)}`),
  h('td', { class: 'num' }, fmtMillis(row.firstTokenMs)),
  h('td', { class: 'num' }, fmtMillis(row.durationMs)),
  h('td', {}, row.finishReason ?? '—'));
}

async function showRequest(id, names) {
  const row = await api.auditRequest(id);
  const facts = [
    ['Request', row.id], ['Started', fmtTime(row.startedAt)], ['Tenant', names.get(row.tenantId) ?? row.tenantId],
    ['Principal', row.principal], ['API key', row.apiKeyId], ['Model', row.model],
    ['Thinking', row.thinking === null || row.thinking === undefined ? '—' : `${row.thinking ? 'on' : 'off'}${row.thinkingBudget ? `, budget ${fmtInt(row.thinkingBudget)}` : ''}`],
    ['Temperature', row.temperature], ['Max tokens', fmtInt(row.maxTokens)],
    ['Prompt tokens (estimated)', fmtInt(row.promptTokens)], ['Reserved tokens', fmtInt(row.reservedTokens)],
    ['Tokens in / reasoning / out', `${fmtInt(row.inputTokens)} / ${fmtInt(row.reasoningTokens)} / ${fmtInt(row.outputTokens)}`],
    ['Cost', fmtMoney(row.cost)], ['Time to first token', fmtMillis(row.firstTokenMs)], ['Duration', fmtMillis(row.durationMs)],
    ['Finish reason', row.finishReason], ['Outcome', outcomeBadge(row.outcome)], ['Refused by', row.rejectLimit],
    ['Detail', row.detail], ['Client address', row.clientAddress], ['Trace id', row.traceId],
  ];
  openDialog('Request detail',
    h('dl', { class: 'facts', id: 'request-detail' }, facts.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value ?? '—')])),
    h('h3', { style: 'margin-top: 1rem' }, 'Content'),
    row.content ? h('pre', { class: 'json' }, typeof row.content === 'string' ? row.content : JSON.stringify(row.content, null, 2))
      : h('p', { class: 'muted' }, 'Not kept: the tenant\'s content policy stores no content.'));
}

async function adminLog(panel) {
  const body = h('tbody', {});
  const more = h('button', { class: 'button ghost', type: 'button', hidden: true }, 'Load more');
  panel.append(h('div', { class: 'table-wrap' }, h('table', { id: 'admin-audit-table' },
    h('thead', {}, h('tr', {}, ['#', 'When', 'Who', 'Action', 'What', ''].map((label) => h('th', { scope: 'col' }, label)))),
    body)), h('div', { class: 'form-actions' }, more));
  let cursor = null;
  const load = async () => {
    const page = await api.adminAudit({ limit: PAGE_SIZE, cursor });
    for (const change of page.items) {
      body.append(h('tr', {},
        h('td', { class: 'num' }, change.seq),
        h('td', { class: 'nowrap' }, fmtShortTime(change.at)),
        h('td', {}, change.actor),
        h('td', {}, h('span', { class: 'badge' }, change.action)),
        h('td', {}, change.entity, h('div', { class: 'muted mono', style: 'font-size: .78rem' }, change.entityId)),
        h('td', {}, h('button', { class: 'button ghost small', type: 'button', onclick: () => showChange(change) }, 'Before / after'))));
    }
    if (!body.children.length) body.append(h('tr', { class: 'empty-row' }, h('td', { colspan: 6 }, 'No admin changes yet.')));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener('click', load);
  await load();
}

function showChange(change) {
  const pretty = (value) => {
    if (value === null || value === undefined) return '(none)';
    try {
      return JSON.stringify(typeof value === 'string' ? JSON.parse(value) : value, null, 2);
    } catch {
      return String(value);
    }
  };
  openDialog(`${change.action} ${change.entity} · #${change.seq}`,
    h('p', { class: 'muted' }, `${change.actor} at ${fmtTime(change.at)}`),
    h('div', { class: 'grid grid-2' },
      h('div', {}, h('h3', {}, 'Before'), h('pre', { class: 'json' }, pretty(change.before))),
      h('div', {}, h('h3', {}, 'After'), h('pre', { class: 'json' }, pretty(change.after)))));
}

async function retention(panel) {
  const current = await api.retention();
  const status = h('div', { id: 'retention-result', 'aria-live': 'polite' });
  const oldest = h('dd', { id: 'oldest-partition' }, current.oldestPartition ?? 'none');
  const form = h('form', { class: 'filters', id: 'retention-form', novalidate: true },
    field('Keep the request log for (months)', 'months', { type: 'number', value: current.months, attrs: { min: 1, max: 120, step: 1 }, hint: 'The current month and this many before it' }),
    h('button', { class: 'button', type: 'submit' }, 'Save'));
  const purge = h('button', { class: 'button danger', type: 'button', id: 'purge' }, 'Purge older months');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      const saved = await api.putRetention(form.elements.months.value === '' ? null : Number(form.elements.months.value));
      oldest.textContent = saved.oldestPartition ?? 'none';
      replace(status, h('div', { class: 'alert ok', role: 'status' }, `Request log kept for ${saved.months} months.`));
    } catch (error) {
      if (showFieldErrors(form, error.fieldErrors ?? []).length || !error.fieldErrors?.length) {
        replace(status, h('div', { class: 'alert danger', role: 'alert' }, error.message));
      }
    }
  });
  purge.addEventListener('click', async () => {
    if (!confirm('Drop every month of the request log older than the retention? This cannot be undone.')) return;
    try {
      const { droppedPartitions } = await api.purge();
      oldest.textContent = (await api.retention()).oldestPartition ?? 'none';
      replace(status, h('div', { class: 'alert ok', role: 'status' }, droppedPartitions.length
        ? `Dropped ${droppedPartitions.length} month${droppedPartitions.length === 1 ? '' : 's'}: ${droppedPartitions.join(', ')}.`
        : 'Nothing to drop: no month is older than the retention.'));
    } catch (error) {
      replace(status, h('div', { class: 'alert danger', role: 'alert' }, `Not purged: ${error.message}`));
    }
  });
  panel.append(
    h('p', { class: 'muted' }, 'The request log is stored by month; months older than the retention are dropped whole by a purge. The admin-change log is never purged.'),
    h('dl', { class: 'facts', style: 'margin-bottom: 1rem' }, h('dt', {}, 'Oldest month stored'), oldest),
    form, h('div', { class: 'form-actions', style: 'justify-content: flex-start' }, purge), status);
}

async function verify(button, target) {
  button.disabled = true;
  replace(target, h('p', { class: 'muted' }, 'Verifying…'));
  try {
    const { adminChain } = await api.verify();
    replace(target, adminChain.intact
      ? h('div', { class: 'alert ok', role: 'status' }, h('strong', {}, 'Chain intact. '), `All ${fmtInt(adminChain.rows)} admin-change rows verify.`)
      : h('div', { class: 'alert danger', role: 'alert' }, h('strong', {}, 'Chain broken. '), `The first row that does not verify is #${adminChain.firstBrokenSeq} (of ${fmtInt(adminChain.rows)}): it was edited, deleted or re-chained.`));
  } catch (error) {
    replace(target, h('div', { class: 'alert danger', role: 'alert' }, `Verification failed: ${error.message}`));
  } finally {
    button.disabled = false;
  }
}
