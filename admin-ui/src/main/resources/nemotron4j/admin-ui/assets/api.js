// The admin REST API (docs/ADMIN-API.md) and Actuator, as the page's session sees them. Addresses are relative to
// the page at {base}/, so the dashboard follows nemotron.governance.admin.base-path without knowing it.

const pageBase = new URL('.', document.baseURI);
const apiBase = new URL('api/', pageBase);

/** The Actuator base path written into the page by the server, or '' when Actuator is not reachable from here. */
export const actuatorBase = document.querySelector('meta[name="nemotron-actuator"]')?.content ?? '';

/** An error response: the HTTP status and its RFC 9457 problem body, when it had one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** The per-field validation messages of a 400, as [{field, message}]. */
  get fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

const unauthorizedListeners = new Set();

/** Calls the listener whenever the session turns out to be gone (a 401 from the API). */
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

/** The current value of the XSRF-TOKEN cookie, which goes back in the X-XSRF-TOKEN header of every change. */
export function csrfToken() {
  const match = document.cookie.split('; ').find((c) => c.startsWith('XSRF-TOKEN='));
  return match ? decodeURIComponent(match.slice('XSRF-TOKEN='.length)) : null;
}

/** The absolute URL of an API path with query parameters; empty parameters are left out. */
export function apiUrl(path, params = {}) {
  const url = new URL(path.replace(/^\//, ''), apiBase);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') url.searchParams.set(key, value);
  }
  return url;
}

/** The absolute URL of a path under the dashboard's base, e.g. 'login'. */
export function baseUrl(path) {
  return new URL(path, pageBase);
}

/** Sends a request; changes carry the CSRF header. Resolves to the response, rejects with an ApiError. */
export async function send(method, url, { body, headers = {}, signal } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers }, signal };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) init.headers['X-XSRF-TOKEN'] = token;
  }
  if (body !== undefined) {
    if (body instanceof URLSearchParams) {
      init.body = body;
    } else {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const response = await fetch(url, init);
  if (!response.ok) {
    const error = new ApiError(response.status, await problemOf(response));
    if (response.status === 401) unauthorizedListeners.forEach((listener) => listener(error));
    throw error;
  }
  return response;
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return { title: response.statusText || `HTTP ${response.status}` };
  try {
    const problem = await response.json();
    const retryAfter = response.headers.get('Retry-After');
    if (retryAfter) problem.retryAfterSeconds = Number(retryAfter);
    return problem;
  } catch {
    return { title: `HTTP ${response.status}` };
  }
}

async function json(method, path, { params, body } = {}) {
  const response = await send(method, apiUrl(path, params), { body });
  return response.status === 204 ? null : response.json();
}

/** The admin API, one function per route. */
export const api = {
  me: () => json('GET', 'me'),
  tenants: () => json('GET', 'tenants'),
  tenant: (id) => json('GET', `tenants/${id}`),
  createTenant: (tenant) => json('POST', 'tenants', { body: tenant }),
  updateTenant: (id, changes) => json('PATCH', `tenants/${id}`, { body: changes }),
  deleteTenant: (id) => json('DELETE', `tenants/${id}`),
  limits: (id) => json('GET', `tenants/${id}/limits`),
  putLimits: (id, limits) => json('PUT', `tenants/${id}/limits`, { body: limits }),
  keys: (tenantId) => json('GET', `tenants/${tenantId}/keys`),
  createKey: (tenantId, key) => json('POST', `tenants/${tenantId}/keys`, { body: key }),
  revokeKey: (keyId) => json('DELETE', `keys/${keyId}`),
  usage: (params) => json('GET', 'usage', { params }),
  usageExportUrl: (params, format) => apiUrl('usage/export', { ...params, format }),
  hourly: (hours = 24) => json('GET', 'usage/hourly', { params: { hours } }),
  auditRequests: (params) => json('GET', 'audit/requests', { params }),
  auditRequest: (id) => json('GET', `audit/requests/${id}`),
  auditExportUrl: (params, format) => apiUrl('audit/requests/export', { ...params, format }),
  adminAudit: (params) => json('GET', 'audit/admin', { params }),
  verify: () => json('POST', 'audit/verify'),
  retention: () => json('GET', 'retention'),
  putRetention: (months) => json('PUT', 'retention', { body: { months } }),
  purge: () => json('POST', 'retention/purge'),
};

/** Ends the session at the admin API's logout, then shows the sign-in page. */
export async function logout() {
  const token = csrfToken();
  const response = await fetch(baseUrl('logout'), {
    method: 'POST', credentials: 'same-origin', headers: token ? { 'X-XSRF-TOKEN': token } : {},
  });
  if (!response.ok) throw new ApiError(response.status, { title: 'Sign-out failed' });
  location.assign(baseUrl('login?logout'));
}

/** Goes to the sign-in page (the session is missing or has ended). */
export function toLogin() {
  location.assign(baseUrl('login'));
}

/** GETs an Actuator endpoint, e.g. 'nemotron' or 'metrics/nemotron.time.to.first.token'; null when unavailable. */
export async function actuator(path) {
  if (!actuatorBase) return null;
  try {
    const response = await fetch(`${actuatorBase}/${path}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

/**
 * Reads a text/event-stream response and calls onEvent(name, data) for each event, data parsed as JSON (the admin
 * API's events carry JSON, see ADMIN-API.md); resolves when the stream ends. The playground is a POST, which
 * EventSource cannot send, so the stream is parsed here, by the same rules as EventSource.
 */
export async function readEventStream(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      dispatch(block, onEvent);
    }
  }
  if (buffer.trim()) dispatch(buffer, onEvent);
}

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    // As the SSE spec says: one space after the colon is not part of the value. The admin API's data are JSON, so
    // a text delta's own leading space is inside the quotes and survives.
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length) onEvent(name, JSON.parse(data.join('\n')));
}
