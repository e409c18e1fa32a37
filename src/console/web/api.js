// The console API as the page calls it: GET with query parameters, POST with a JSON body, the registry token of the
// session (sessionStorage) as `Authorization: Basic base64("AWS:" + token)`. Errors become ApiError with the API's message.

const API_ROOT = '/_emulator/api';
const TOKEN_KEY = 'ecr-console-token';

/** An answer of 4xx or 5xx: `message` is the API's own `{"message": ...}`, `status` the HTTP status. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

export function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the token for this tab's session; undefined or '' signs out. */
export function storeToken(token) {
  try {
    if (token === undefined || token === '') sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage refused (private mode, a policy): the token then lasts until the page reloads.
  }
}

function authorizationHeader() {
  const token = storedToken();
  // btoa takes Latin-1 only; tokens are base64 text, so they are ASCII.
  return token === undefined ? {} : { authorization: `Basic ${btoa(`AWS:${token}`)}` };
}

async function answerOf(response) {
  const text = await response.text();
  let body;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    body = { message: text };
  }
  if (!response.ok) throw new ApiError(response.status, typeof body.message === 'string' ? body.message : `The API answered ${response.status}.`);
  return body;
}

/** GET /_emulator/api<path>?<parameters>; parameters that are undefined or '' are left out. */
export async function apiGet(path, parameters = {}, options = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== null && value !== '') query.set(name, String(value));
  const search = query.toString();
  const response = await fetch(`${API_ROOT}${path}${search === '' ? '' : `?${search}`}`, { headers: { accept: 'application/json', ...authorizationHeader() }, signal: options.signal });
  return answerOf(response);
}

/** POST /_emulator/api<path> with `body` as JSON. */
export async function apiPost(path, body) {
  const response = await fetch(`${API_ROOT}${path}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json', ...authorizationHeader() },
    body: JSON.stringify(body),
  });
  return answerOf(response);
}
