// The OAuth 2.0 popup, as the API defines it (README, "The consent belongs to the person who
// started it"): the page opens the popup on its own click, creates a connect session with a nonce
// it chose, and trusts a message only from its own origin, from that popup, with that nonce; then it
// completes the session itself, signed in. A closed popup or a refusal ends the flow and says so.

/** A fresh random nonce (43 base64url characters). */
export function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Why a flow ended without a connection: `closed`, `denied`, or `provider` (with the provider's code). */
export class FlowEnded extends Error {
  constructor(reason, code) {
    super(reason);
    this.reason = reason;
    this.code = code;
  }
}

let current = null;

/**
 * Runs one consent flow. Must be called from a click (the popup opens synchronously).
 * `start(nonce)` creates the session and resolves to {sessionId?, authorizeUrl}; `complete(sessionId,
 * completionCode)` finishes it. Resolves to complete's answer; rejects with FlowEnded or the API's error.
 * `reauthorizeUrl` instead of `start`: a session the API made already (the portal's rotate).
 */
export function consent({ start, complete, onProgress = () => {}, nonce = randomNonce(), authorizeUrl }) {
  if (current) current.abandon();
  const popup = window.open('about:blank', 'connections-oauth', 'popup,width=520,height=720');
  if (!popup) return Promise.reject(new FlowEnded('blocked'));
  return new Promise((resolve, reject) => {
    let settled = false;
    const flow = {
      abandon() { finish(() => reject(new FlowEnded('replaced'))); try { popup.close(); } catch { /* gone */ } },
    };
    current = flow;
    function finish(then) {
      if (settled) return;
      settled = true;
      clearInterval(watch);
      window.removeEventListener('message', onMessage);
      if (current === flow) current = null;
      then();
    }
    async function onMessage(event) {
      // only our own origin (the result page posts to the builder's exact origin), only our popup
      if (settled || event.origin !== location.origin || event.source !== popup) return;
      const data = event.data;
      if (!data || data.type !== 'connections:oauth') return;
      if (data.status === 'error') {
        // a refusal carries no secret; it ends this flow whatever its nonce
        finish(() => reject(new FlowEnded(data.error === 'access_denied' ? 'denied' : 'provider', data.error)));
        return;
      }
      if (data.status !== 'authorized' || data.nonce !== nonce) return;
      finish(async () => {
        onProgress('completing');
        try {
          resolve(await complete(data.sessionId, data.completionCode));
        } catch (e) {
          // 422: the flow itself failed (another account, expired…): worded as the provider's outcome
          reject(e && e.status === 422 ? new FlowEnded('provider', e.code) : e);
        }
      });
    }
    window.addEventListener('message', onMessage);
    // A popup closed before it reported back ends the flow; a message already on its way wins.
    const watch = setInterval(() => {
      if (!popup.closed || settled) return;
      clearInterval(watch);
      setTimeout(() => finish(() => reject(new FlowEnded('closed'))), 800);
    }, 300);
    (async () => {
      try {
        const url = authorizeUrl || (await start(nonce)).authorizeUrl;
        if (settled) return;
        popup.location = url;
        onProgress('consenting');
      } catch (e) {
        finish(() => reject(e));
        try { popup.close(); } catch { /* gone */ }
      }
    })();
  });
}

/** Words for a flow that ended without a connection. */
export function endedInWords(error, appName) {
  if (!(error instanceof FlowEnded)) return error.message;
  switch (error.reason) {
    case 'closed': return `The ${appName} window was closed before the account was connected. Nothing was connected.`;
    case 'denied': return `Access was declined in the ${appName} window. Nothing was connected.`;
    case 'blocked': return 'The browser blocked the sign-in window. Allow pop-ups for this page and try again.';
    case 'replaced': return 'Another sign-in window was opened; this one was abandoned.';
    default: return providerWords(error.code, appName);
  }
}

function providerWords(code, appName) {
  switch (code) {
    case 'identity_mismatch': return `You signed in to a different ${appName} account than the one this connection uses. Sign in with that account to reconnect it.`;
    case 'session_expired': return 'The sign-in took too long and expired. Start again.';
    case 'session_used': case 'invalid_state': return 'This sign-in window was already used. Start again.';
    case 'invalid_completion_code': return 'The sign-in could not be confirmed. Start again.';
    case 'app_not_configured': return `${appName} is not set up for sign-in here yet. Ask your administrator.`;
    case 'app_misconfigured': return `${appName} is not set up correctly for sign-in here. Ask your administrator.`;
    case 'provider_unreachable': return `${appName} could not be reached. Nothing was connected; try again later.`;
    case 'identity_failed': return `${appName} did not say which account was connected. Nothing was connected; try again.`;
    case 'connection_revoked': return 'This connection was revoked meanwhile. Connect the app again instead.';
    default: return `${appName} did not complete the sign-in. Nothing was connected; try again.`;
  }
}
