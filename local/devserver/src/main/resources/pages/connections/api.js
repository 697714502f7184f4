// The Connections API from a page: one fetch wrapper, errors turned into words, the token's claims
// for showing people only what they may do (the API decides; the page only hides what would fail).
import { apiBase, getToken } from './config.js';

let tokenSource = null;

/** Sets where the token comes from: a function returning a promise of a Cognito ID token. */
export function useToken(get) {
  tokenSource = get;
}

let cached = null;
function token(defaultUser) {
  if (tokenSource) return tokenSource();
  if (!cached) {
    cached = getToken(defaultUser);
    // the fragment's token has been read: it does not stay in the address bar or the history
    if (new URLSearchParams(location.hash.slice(1)).has('token')) history.replaceState(null, '', location.pathname + location.search);
  }
  return cached;
}

/** A refused or failed call: `status`, the API's `code` and `field`, and a sentence for people in `message`. */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const WORDS = {
  unauthorized: 'Your sign-in has expired. Sign in again, then retry.',
  forbidden: 'You do not have permission to do this. Ask an admin of this workspace or account.',
  not_found: 'This no longer exists, or you cannot see it. Reload the page.',
  concurrent_update: 'Someone changed this at the same moment. Reload the page and try again.',
  payload_too_large: 'That is too much text. Shorten it and try again.',
  internal_error: 'Something went wrong on our side. Nothing was changed; try again in a minute.',
  rotated_recently: 'These tokens were renewed a few seconds ago. Wait ten seconds and try again.',
  connection_revoked: 'This connection was revoked. Connect the app again instead.',
};

/** Calls the API; resolves to the JSON answer, or rejects with an {@link ApiError} worded for people. */
export async function api(method, path, body, { defaultUser = 'owner@demo.test' } = {}) {
  let response;
  try {
    response = await fetch(apiBase + path, {
      method,
      headers: Object.assign({ authorization: 'Bearer ' + await token(defaultUser) },
        body === undefined ? {} : { 'content-type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the Connections service. Check your network and try again.');
  }
  const json = await response.json().catch(() => null);
  if (response.ok) return json;
  if (response.status === 401) throw new ApiError(401, 'unauthorized', WORDS.unauthorized);
  const code = json && json.error || 'http_' + response.status;
  const message = WORDS[code] && !(json && json.field) ? WORDS[code]
    : json && json.message ? sentence(json.message)
    : response.status >= 500 ? WORDS.internal_error : 'The request was refused. Check what you entered and try again.';
  throw new ApiError(response.status, code, message, json && json.field);
}

/** The API's message as a sentence: capital first letter, a full stop. */
export function sentence(text) {
  const t = String(text).trim();
  if (!t) return t;
  return t[0].toUpperCase() + t.slice(1) + (/[.!?)]$/.test(t) ? '' : '.');
}

/**
 * The signed-in user's claims, read from the token (no check: the API checks every call). For
 * hiding what would be refused: `accountId`, `accountRole`, `workspaceRoles` {id: 'admin'|'editor'},
 * `workspaceId` for a portal client.
 */
export async function whoAmI(defaultUser) {
  const jwt = await token(defaultUser);
  const payload = JSON.parse(new TextDecoder().decode(Uint8Array.from(
    atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0))));
  const roles = {};
  for (const entry of String(payload['custom:workspace_roles'] || '').split(',')) {
    const [ws, role] = entry.split(':');
    if (ws && role) roles[ws.trim()] = role.trim().toLowerCase();
  }
  return {
    accountId: payload['custom:account_id'],
    accountRole: String(payload['custom:account_role'] || '').toLowerCase(),
    workspaceRoles: roles,
    workspaceId: payload['custom:workspace_id'],
    email: payload.email,
  };
}

/** Whether this user may connect, reconnect or revoke in a workspace (workspace admin or account admin). */
export function isWorkspaceAdmin(me, workspaceId) {
  return me.accountRole === 'admin' || me.workspaceRoles[workspaceId] === 'admin';
}
