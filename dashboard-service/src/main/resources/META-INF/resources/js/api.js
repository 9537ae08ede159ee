// The dashboard's REST API, with problem+json errors turned into readable messages.

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

export async function get(path, params) {
  const response = await fetch(`/api/${path}${query(params)}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    let detail = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch (ignored) {
      // not problem+json: keep the status line
    }
    throw new ApiError(response.status, detail);
  }
  return response.json();
}

/** The organisation accounts (those with dialogue metrics), fetched once per page load. */
let organisations;
export async function organisationAccounts() {
  if (!organisations) organisations = get('dialogue').then(ids => new Set(ids)).catch(() => new Set());
  return organisations;
}
