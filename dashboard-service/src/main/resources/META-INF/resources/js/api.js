// The dashboard's REST API, with problem+json errors turned into readable messages.
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Sends the browser to the login page, to come back here after. */
export function toLogin() {
  location.assign(`/login.html?next=${encodeURIComponent(location.pathname + location.hash)}`);
}

export async function get(path, params) {
  const response = await fetch(`/api/${path}${query(params)}`, { headers: { Accept: 'application/json' } });
  return answer(response);
}

/** A write (POST, PUT, DELETE) with a JSON body, carrying this session's CSRF token. */
export async function send(method, path, body) {
  const { csrfToken } = await session();
  const headers = { Accept: 'application/json', 'X-CSRF-Token': csrfToken || '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/${path}`, { method, headers,
    body: body === undefined ? undefined : JSON.stringify(body) });
  return answer(response);
}

async function answer(response) {
  if (response.status === 401) {
    toLogin();
    throw new ApiError(401, t('api.sessionEnded'));
  }
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      detail = problem.errors && problem.errors.length ? problem.errors.join('; ')
        : problem.detail || problem.title || detail;
    } catch (ignored) {
      // not problem+json: keep the status line
    }
    throw new ApiError(response.status, detail);
  }
  return response.status === 204 || response.status === 202 ? null : response.json();
}

/** The organisation accounts (those with dialogue metrics), fetched once per page load. */
let organisations;
export async function organisationAccounts() {
  if (!organisations) organisations = get('dialogue').then(ids => new Set(ids)).catch(() => new Set());
  return organisations;
}

/** Who is logged in, with the CSRF token that goes with each write of this session. */
let caller;
export async function session() {
  if (!caller) caller = get('session');
  return caller;
}

/**
 * Ends the session and goes to the login page: Palabre's own session with a DELETE that carries its CSRF token, an
 * identity provider's at the provider (its logout sends the browser back).
 */
export async function logout() {
  const { csrfToken, via } = await session();
  if (via === 'oidc') {
    location.assign('/logout');
    return;
  }
  await fetch('/api/session', { method: 'DELETE', headers: { 'X-CSRF-Token': csrfToken || '' } });
  location.assign('/login.html');
}
