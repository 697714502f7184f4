// The consent-capture attack, end to end, in a real headless Chromium with two browser contexts.
// The attacker (an admin of their own workspace) creates a connect session and sends its link to a
// victim whose provider skips the consent screen. The victim's browser goes through our start, the
// provider and our callback; the result page has no opener to report to, and nothing is connected:
// no token request is made until the session's creator completes it with the one-time code that only
// the victim's page holds. The attacker's own completion attempts are refused.
//
// Run by BrowserConsentCaptureTest (JUnit), which starts the dev server with a provider that skips
// consent and passes BASE_URL, ATTACKER_TOKEN, WORKSPACE and APP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8787';
const ATTACKER_TOKEN = process.env.ATTACKER_TOKEN;
const WORKSPACE = process.env.WORKSPACE;
const APP = process.env.APP;
const SCREENSHOT = process.env.SCREENSHOT;

test("a victim opening the attacker's link connects nothing to the attacker's workspace", async () => {
  const browser = await launch();
  try {
    // The attacker's context: signed in on the builder page, creates the session there.
    const attacker = await (await browser.newContext()).newPage();
    await attacker.goto(`${BASE_URL}/#token=${encodeURIComponent(ATTACKER_TOKEN)}`);
    const api = (method, path, body) => attacker.evaluate(async ([method, path, body, token]) => {
      const response = await fetch(path, { method, headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined });
      return { status: response.status, json: await response.json().catch(() => null) };
    }, [method, path, body, ATTACKER_TOKEN]);
    const session = await api('POST', `/workspaces/${WORKSPACE}/connect-sessions`, { app: APP });
    assert.equal(session.status, 201, JSON.stringify(session.json));

    // The victim's context: opens the link; the provider answers at once (no consent screen).
    const victim = await (await browser.newContext()).newPage();
    await victim.goto(session.json.authorizeUrl);
    await victim.waitForSelector('#result');
    assert.match(await victim.textContent('#result'), /returning to the page that opened this window/);
    if (SCREENSHOT) await victim.screenshot({ path: SCREENSHOT });

    // Without the victim's one-time code, the attacker cannot finish it: a guess is refused and ends it.
    const guessed = await api('POST', `/workspaces/${WORKSPACE}/connect-sessions/${session.json.sessionId}/complete`,
      { completionCode: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(guessed.status, 422);
    assert.equal(guessed.json.error, 'invalid_completion_code');

    // A code of another session (one the attacker authorized in their own context) does not open this one.
    const own = await api('POST', `/workspaces/${WORKSPACE}/connect-sessions`, { app: APP });
    const ownPage = await attacker.context().newPage();
    await ownPage.goto(own.json.authorizeUrl);
    await ownPage.waitForSelector('#result');
    const ownCode = await ownPage.evaluate(() => document.body.innerHTML.match(/"completionCode":"([^"]+)"/)[1]);
    const borrowed = await api('POST', `/workspaces/${WORKSPACE}/connect-sessions/${session.json.sessionId}/complete`,
      { completionCode: ownCode });
    assert.equal(borrowed.status, 422);

    const picker = await api('GET', `/workspaces/${WORKSPACE}/connections?app=${APP}`);
    assert.equal(picker.status, 200);
    assert.deepEqual(picker.json.connections, [], "nothing in the attacker's workspace");
  } finally {
    await browser.close();
  }
});
