// API keys of a tenant: issue one (its secret is shown once), list them, revoke them.

import { api, ApiError } from '../api.js';
import { fmtShortTime, h, localToInstant, replace } from '../dom.js';
import { card, clearErrors, field, pageHead, showFieldErrors, table, tenantOptions, toast } from '../ui.js';

export async function render(main, { args }) {
  const tenants = await api.tenants();
  main.append(pageHead('API keys', 'Keys let applications call the model as a tenant. A key\'s secret is shown only once, when it is created.'));
  if (!tenants.length) {
    main.append(h('div', { class: 'alert warn' }, 'Create a tenant first: every key belongs to one. ', h('a', { href: '#/tenants/new' }, 'New tenant')));
    return;
  }
  const selected = tenants.some((t) => t.id === args[0]) ? args[0] : tenants[0].id;
  const picker = field('Tenant', 'tenant', { value: selected, options: tenantOptions(tenants) });
  const secretSlot = h('div', { id: 'secret-slot' });
  const list = h('div', { id: 'key-list' });
  const form = h('form', { id: 'key-form', novalidate: true },
    h('div', { class: 'filters' },
      field('Key name', 'name', { required: true, attrs: { maxlength: 200, placeholder: 'e.g. billing-service' } }),
      field('Expires at (optional)', 'expiresAt', { type: 'datetime-local' }),
      h('button', { class: 'button', type: 'submit', id: 'create-key' }, 'Create key')),
    h('div', { class: 'alert danger', role: 'alert', id: 'key-error', hidden: true }));
  const tenantSelect = picker.querySelector('select');
  tenantSelect.id = 'key-tenant';
  picker.querySelector('label').htmlFor = 'key-tenant';
  picker.style.maxWidth = '24rem';
  main.append(h('div', { class: 'filters' }, picker), secretSlot, card('New key', form), h('h2', { style: 'margin-top: 1.5rem' }, 'Keys'), list);

  const load = async () => {
    const keys = await api.keys(tenantSelect.value);
    replace(list, table(['Name', 'Prefix', 'Created', 'Expires', 'Last used', 'Status', ''],
      keys.map((key) => h('tr', { dataset: { key: key.name } },
        h('td', {}, key.name),
        h('td', {}, h('code', {}, key.prefix)),
        h('td', { class: 'nowrap' }, fmtShortTime(key.createdAt)),
        h('td', { class: 'nowrap' }, key.expiresAt ? fmtShortTime(key.expiresAt) : 'Never'),
        h('td', { class: 'nowrap' }, key.lastUsedAt ? fmtShortTime(key.lastUsedAt) : 'Not yet'),
        h('td', {}, status(key)),
        h('td', {}, key.revokedAt ? null : h('button', {
          class: 'button danger small', type: 'button', 'aria-label': `Revoke ${key.name}`, onclick: () => revoke(key, load),
        }, 'Revoke')))),
      { empty: 'This tenant has no keys yet.' }));
  };
  tenantSelect.addEventListener('change', () => {
    history.replaceState(null, '', `#/keys/${tenantSelect.value}`);
    replace(secretSlot);
    load();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const error = form.querySelector('#key-error');
    error.hidden = true;
    try {
      const created = await api.createKey(tenantSelect.value, {
        name: form.elements.name.value.trim(), expiresAt: localToInstant(form.elements.expiresAt.value),
      });
      form.reset();
      replace(secretSlot, secretBox(created));
      secretSlot.querySelector('button').focus();
      await load();
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      if (showFieldErrors(form, failure.fieldErrors).length || !failure.fieldErrors.length) {
        error.textContent = failure.message;
        error.hidden = false;
      }
    }
  });
  await load();
}

function status(key) {
  if (key.revokedAt) return h('span', { class: 'badge danger' }, `Revoked ${new Date(key.revokedAt).toLocaleDateString()}`);
  if (key.expiresAt && new Date(key.expiresAt) < new Date()) return h('span', { class: 'badge warn' }, 'Expired');
  return h('span', { class: 'badge ok' }, 'Active');
}

function secretBox(created) {
  const copy = h('button', { class: 'button', type: 'button', id: 'copy-secret' }, 'Copy');
  const code = h('code', { id: 'new-secret' }, created.secret);
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(created.secret);
      copy.textContent = 'Copied';
    } catch {
      // Clipboard access needs a secure context; fall back to selecting the text for Ctrl+C.
      getSelection().selectAllChildren(code);
      copy.textContent = 'Selected: press Ctrl+C';
    }
  });
  return h('div', { class: 'alert ok', role: 'status' },
    h('h3', {}, `Key "${created.name}" created`),
    h('p', {}, 'Copy the secret now: it is shown only this once and cannot be recovered.'),
    h('div', { class: 'secret' }, code, copy));
}

async function revoke(key, reload) {
  if (!confirm(`Revoke the key ${key.name}? Applications using it stop working at once.`)) return;
  try {
    await api.revokeKey(key.id);
    toast(`Revoked ${key.name}.`);
    await reload();
  } catch (error) {
    toast(`Not revoked: ${error.message}`, 'error');
  }
}
