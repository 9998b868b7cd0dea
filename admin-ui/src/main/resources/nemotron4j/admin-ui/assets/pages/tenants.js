// Tenants: usage against every limit, and a form for a tenant's settings, budgets, quotas and thinking policy.

import { api, ApiError } from '../api.js';
import { meter } from '../charts.js';
import { fmtInt, fmtMoney, h } from '../dom.js';
import { card, checkbox, clearErrors, field, pageHead, showFieldErrors, table, toast } from '../ui.js';

const POLICIES = [['NONE', 'None'], ['SHA256', 'SHA-256 hash'], ['REDACTED', 'Redacted'], ['FULL', 'Full']];

/** Every limit the API knows, grouped as the form shows them: [field, label, kind, hint]. */
const LIMIT_GROUPS = [
  ['Token budgets', [
    ['tokensPerDay', 'Tokens per day', 'int'],
    ['tokensPerWeek', 'Tokens per week', 'int'],
    ['tokensPerMonth', 'Tokens per month', 'int'],
  ]],
  ['Cost budgets', [
    ['costPerDay', 'Cost per day', 'money'],
    ['costPerWeek', 'Cost per week', 'money'],
    ['costPerMonth', 'Cost per month', 'money'],
    ['priceInputPer1k', 'Price per 1k input tokens', 'money'],
    ['priceReasoningPer1k', 'Price per 1k reasoning tokens', 'money'],
    ['priceOutputPer1k', 'Price per 1k output tokens', 'money'],
  ]],
  ['Rates and requests', [
    ['requestsPerMinute', 'Requests per minute', 'int'],
    ['tokensPerMinute', 'Tokens per minute', 'int'],
    ['concurrentRequests', 'Concurrent requests', 'int'],
    ['maxTokensPerRequest', 'Largest maxTokens per request', 'int'],
  ]],
  ['Thinking policy', [
    ['thinkingAllowed', 'Thinking allowed', 'bool'],
    ['thinkingDefaultBudget', 'Default thinking budget', 'int', 'Tokens of reasoning when a request sets none'],
    ['thinkingMaxBudget', 'Maximum thinking budget', 'int'],
  ]],
];

export async function render(main, { args }) {
  const [id] = args;
  if (id === 'new') return renderForm(main, null);
  if (id) return renderForm(main, await api.tenant(id));
  return renderList(main);
}

async function renderList(main) {
  const tenants = await api.tenants();
  main.append(
    pageHead('Tenants', 'Teams and applications that share the model, with their usage against each limit.',
      h('a', { class: 'button', href: '#/tenants/new', id: 'new-tenant' }, 'New tenant')),
    table(
      ['Name', 'Tokens today', 'Tokens this month', { label: 'Cost this month', class: 'num' }, { label: 'Req/min', class: 'num hide-phone' }, 'Status'],
      tenants.map((t) => h('tr', { class: 'clickable', dataset: { tenant: t.name }, onclick: () => { location.hash = `#/tenants/${t.id}`; } },
        h('td', { class: 'nowrap' }, h('a', { href: `#/tenants/${t.id}` }, t.name), h('div', { class: 'muted', style: 'font-size: .82rem' }, t.timeZone)),
        h('td', {}, meter(t.usage.tokensToday, t.limits?.tokensPerDay, `${t.name}: tokens today against the daily limit`)),
        h('td', {}, meter(t.usage.tokensThisMonth, t.limits?.tokensPerMonth, `${t.name}: tokens this month against the monthly limit`)),
        h('td', { class: 'num' }, fmtMoney(t.usage.costThisMonth), t.limits?.costPerMonth ? h('span', { class: 'muted' }, ` / ${fmtMoney(t.limits.costPerMonth)}`) : null),
        h('td', { class: 'num hide-phone' }, fmtInt(t.usage.requestsLastMinute), t.limits?.requestsPerMinute ? h('span', { class: 'muted' }, ` / ${fmtInt(t.limits.requestsPerMinute)}`) : null),
        h('td', {}, t.enabled ? h('span', { class: 'badge ok' }, 'Enabled') : h('span', { class: 'badge warn' }, 'Disabled')))),
      { empty: 'No tenants yet.' }));
}

function renderForm(main, tenant) {
  const limits = tenant?.limits ?? {};
  const form = h('form', { id: 'tenant-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Tenant'),
      h('div', { class: 'form-grid' },
        field('Name', 'name', { value: tenant?.name, required: true, attrs: { maxlength: 200 } }),
        field('Time zone', 'timeZone', { value: tenant?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, hint: 'Days, weeks and months are counted in it' }),
        field('Host principal', 'principal', { value: tenant?.principal, hint: 'Optional: your app\'s user that acts as this tenant' }),
        field('Content in the audit log', 'contentPolicy', { value: tenant?.contentPolicy ?? 'NONE', options: POLICIES }),
        tenant ? checkbox('Enabled', 'enabled', tenant.enabled) : null)),
    LIMIT_GROUPS.map(([legend, fields]) => h('fieldset', {}, h('legend', {}, legend),
      h('div', { class: 'form-grid' }, fields.map(([name, label, kind, hint]) => (kind === 'bool'
        ? checkbox(label, `limits.${name}`, limits[name] ?? true)
        : field(label, `limits.${name}`, {
          type: 'number', value: limits[name], hint: hint ?? 'Empty: no limit',
          attrs: { step: kind === 'money' ? 'any' : '1', inputmode: kind === 'money' ? 'decimal' : 'numeric' },
        })))))),
    h('div', { class: 'alert danger', role: 'alert', id: 'form-error', hidden: true }),
    h('div', { class: 'form-actions' },
      tenant ? h('button', { class: 'button danger', type: 'button', id: 'delete-tenant', onclick: () => remove(tenant) }, 'Delete tenant') : null,
      h('a', { class: 'button ghost', href: '#/tenants' }, 'Cancel'),
      h('button', { class: 'button', type: 'submit', id: 'save-tenant' }, tenant ? 'Save changes' : 'Create tenant')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save(form, tenant);
  });
  main.append(
    pageHead(tenant ? tenant.name : 'New tenant', tenant ? `Created ${new Date(tenant.createdAt).toLocaleDateString()} · id ${tenant.id}` : 'Every limit is optional; leave a field empty for no limit.'),
    tenant ? usageSummary(tenant) : null,
    form);
  form.name.focus();
}

function usageSummary(tenant) {
  const u = tenant.usage;
  const l = tenant.limits ?? {};
  const row = (label, value, limit) => h('div', {}, h('div', { class: 'stat-label' }, label), meter(value ?? 0, limit, label));
  return h('div', { style: 'margin-bottom: 1rem' }, card('Usage now',
    h('div', { class: 'grid grid-2' },
      row('Tokens today', u.tokensToday, l.tokensPerDay),
      row('Tokens this week', u.tokensThisWeek, l.tokensPerWeek),
      row('Tokens this month', u.tokensThisMonth, l.tokensPerMonth),
      row('Requests in the last minute', u.requestsLastMinute, l.requestsPerMinute),
      row('Tokens in the last minute', u.tokensLastMinute, l.tokensPerMinute),
      row('Active requests', u.activeRequests, l.concurrentRequests))));
}

function readLimits(form) {
  const limits = {};
  for (const [, fields] of LIMIT_GROUPS) {
    for (const [name, , kind] of fields) {
      const control = form.elements[`limits.${name}`];
      if (kind === 'bool') limits[name] = control.checked;
      else limits[name] = control.value === '' ? null : Number(control.value);
    }
  }
  return limits;
}

async function save(form, tenant) {
  clearErrors(form);
  const formError = form.querySelector('#form-error');
  formError.hidden = true;
  const text = (name) => (form.elements[name].value.trim() === '' ? null : form.elements[name].value.trim());
  const settings = { name: text('name'), timeZone: text('timeZone'), principal: text('principal'), contentPolicy: form.elements.contentPolicy.value };
  const limits = readLimits(form);
  const submit = form.querySelector('#save-tenant');
  submit.disabled = true;
  try {
    if (tenant) {
      await api.updateTenant(tenant.id, { ...settings, enabled: form.elements.enabled.checked });
      await api.putLimits(tenant.id, limits);
      toast(`Saved ${settings.name}.`);
      location.hash = '#/tenants';
    } else {
      const created = await api.createTenant({ ...settings, limits });
      toast(`Created ${created.name}.`);
      location.hash = '#/tenants';
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // The limits endpoint names its fields without the 'limits.' of the form's names.
    const unmatched = showFieldErrors(form, error.fieldErrors, 'limits.');
    if (!error.fieldErrors.length || unmatched.length) {
      formError.replaceChildren(h('strong', {}, error.problem.title ?? 'Not saved'), ' ', error.message,
        unmatched.length ? h('ul', {}, unmatched.map((m) => h('li', {}, m))) : null);
      formError.hidden = false;
    }
  } finally {
    submit.disabled = false;
  }
}

async function remove(tenant) {
  if (!confirm(`Delete ${tenant.name}? Its keys and limits go; its audit rows stay.`)) return;
  try {
    await api.deleteTenant(tenant.id);
    toast(`Deleted ${tenant.name}.`);
    location.hash = '#/tenants';
  } catch (error) {
    toast(`Not deleted: ${error.message}`, 'error');
  }
}
