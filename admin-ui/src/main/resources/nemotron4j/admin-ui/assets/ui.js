// Building blocks shared by the pages: page headers, form fields with their API errors, tables, toasts, dialogs.

import { h, uid } from './dom.js';

/** A page title with an optional description and actions. */
export function pageHead(title, description, ...actions) {
  return h('div', { class: 'page-head' },
    h('div', {}, h('h1', {}, title), description ? h('p', { class: 'muted' }, description) : null),
    actions.length ? h('div', { class: 'form-actions' }, actions) : null);
}

/**
 * A labelled input with a hint and a slot for its validation message. `name` is the API's field path (e.g.
 * 'limits.tokensPerDay'), so a 400's errors land beside the right field.
 */
export function field(label, name, { type = 'text', value, hint, required, attrs = {}, options, wide } = {}) {
  const id = uid(name.replace(/\W/g, '-'));
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  let control;
  if (options) {
    control = h('select', { id, name, 'aria-describedby': [hintId, errorId].filter(Boolean).join(' '), ...attrs },
      options.map(([optionValue, optionLabel]) => h('option', { value: optionValue, selected: String(optionValue) === String(value ?? '') }, optionLabel)));
  } else {
    control = h('input', {
      id, name, type, required, value: value ?? '', 'aria-describedby': [hintId, errorId].filter(Boolean).join(' '), ...attrs,
    });
  }
  return h('div', { class: `field${wide ? ' wide' : ''}` },
    h('label', { for: id }, label),
    control,
    hint ? h('span', { class: 'hint', id: hintId }, hint) : null,
    h('span', { class: 'field-error', id: errorId, 'data-error-for': name }));
}

/** A checkbox with its label. */
export function checkbox(label, name, checked) {
  const id = uid(name.replace(/\W/g, '-'));
  return h('div', { class: 'field' },
    h('label', { class: 'check', for: id }, h('input', { id, name, type: 'checkbox', checked: !!checked }), label),
    h('span', { class: 'field-error', 'data-error-for': name }));
}

/** Clears the validation messages of a form. */
export function clearErrors(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

/**
 * Puts a 400's field errors beside their fields. `prefix` is tried in front of a field that does not match as is
 * (the limits endpoint names 'tokensPerDay' where the form says 'limits.tokensPerDay'). Returns the messages that
 * matched no field.
 */
export function showFieldErrors(form, errors, prefix = '') {
  const unmatched = [];
  let first = null;
  for (const { field: name, message } of errors) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`)
      ?? (prefix ? form.querySelector(`[data-error-for="${CSS.escape(prefix + name)}"]`) : null);
    if (!slot) {
      unmatched.push(`${name}: ${message}`);
      continue;
    }
    slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
    const control = slot.parentElement.querySelector('input, select, textarea');
    control?.setAttribute('aria-invalid', 'true');
    first ??= control;
  }
  first?.focus();
  return unmatched;
}

/** A table with headers, rows (arrays of cells) and a message when empty. */
export function table(headers, rows, { empty = 'Nothing here yet.', caption, footer } = {}) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((header) => (typeof header === 'string'
      ? h('th', { scope: 'col' }, header)
      : h('th', { scope: 'col', class: header.class }, header.label))))),
    h('tbody', {}, rows.length ? rows : h('tr', { class: 'empty-row' }, h('td', { colspan: headers.length }, empty))),
    footer ?? null));
}

/** A short message in the corner, read out by screen readers. */
export function toast(message, kind = 'info') {
  const item = h('div', { class: `toast ${kind === 'error' ? 'error' : ''}` }, message);
  document.getElementById('toasts').append(item);
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

/** A modal dialog with a title; returns it opened. Closes on Escape and on its close button. */
export function openDialog(title, ...body) {
  const titleId = uid('dialog-title');
  const dialog = h('dialog', { 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, title),
      h('button', { class: 'button ghost small', type: 'button', onclick: () => dialog.close() }, 'Close')),
    h('div', { class: 'dialog-body' }, body));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

/** A badge for an audit outcome. */
export function outcomeBadge(outcome) {
  const kind = { COMPLETED: 'ok', REJECTED: 'danger', FAILED: 'danger', ABANDONED: 'warn', CANCELLED: 'warn' }[outcome] ?? '';
  return h('span', { class: `badge ${kind}` }, outcome ?? '—');
}

/** A select of tenants: [id, name] options, optionally led by an "all tenants" choice. */
export function tenantOptions(tenants, allLabel) {
  const options = tenants.map((t) => [t.id, t.name]);
  return allLabel ? [['', allLabel], ...options] : options;
}

/** A labelled section with a title. */
export function card(title, ...children) {
  return h('section', { class: 'card', 'aria-label': typeof title === 'string' ? title : null },
    title ? h('h2', {}, title) : null, children);
}
