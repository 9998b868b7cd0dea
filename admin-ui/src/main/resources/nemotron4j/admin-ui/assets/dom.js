// Small helpers to build DOM nodes and format numbers; no framework, nothing to compile.

/**
 * Creates an element. Attributes starting with "on" become listeners, `class` and `for` map to their properties,
 * booleans toggle attributes, and children may be strings, nodes, arrays or null.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'for') el.htmlFor = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Creates an SVG element with attributes. */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

let idSequence = 0;

/** A fresh id for label/for pairs. */
export function uid(prefix = 'f') {
  idSequence += 1;
  return `${prefix}-${idSequence}`;
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** 12,345 (or a dash for a missing value). */
export const fmtInt = (n) => (n === null || n === undefined ? '—' : integer.format(n));
/** 12.3 */
export const fmtDec = (n) => (n === null || n === undefined || Number.isNaN(n) ? '—' : decimal.format(n));
/** 0.0123 */
export const fmtMoney = (n) => (n === null || n === undefined ? '—' : money.format(n));
/** 12.3K */
export const fmtCompact = (n) => (n === null || n === undefined ? '—' : compact.format(n));

/** 1.4 GiB */
export function fmtBytes(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${decimal.format(value)} ${units[unit]}`;
}

/** A local date and time for an ISO instant. */
export function fmtTime(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A compact local date and time for tables. */
export function fmtShortTime(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** 850 ms or 2.4 s */
export function fmtMillis(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${integer.format(ms)} ms` : `${decimal.format(ms / 1000)} s`;
}

/** Today (or today plus days) as yyyy-mm-dd in the browser's zone. */
export function isoDate(offsetDays = 0) {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The value of a datetime-local input as an ISO instant, or null. */
export function localToInstant(value) {
  return value ? new Date(value).toISOString() : null;
}

/** Removes every child and appends the given ones. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
