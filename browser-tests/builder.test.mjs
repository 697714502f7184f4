// The builder's authentication section in a real headless Chromium, through the dev stack with real
// tokens: the "Connect New Account" dialog shaped by the catalog (an API key with Freshdesk's
// subdomain; OAuth 2.0 through the popup), "Select an account" with the external account of each
// row, a closed popup, consent declined at the provider, an editor, and a connection forced into ERROR (the provider answers
// invalid_grant to a refresh) shown in the banner and brought back by Reconnect. axe-core on each state.
//
// Run by BrowserBuilderTest (JUnit), which starts the dev server and passes BASE_URL, ADMIN_TOKEN,
// EDITOR_TOKEN, ACCOUNT, WORKSPACE, OTHER_WORKSPACE, STANDIN_APP (an app on the token-endpoint
// stand-in), BROKEN_ID (its connection whose grant the provider revoked), FRESHDESK_KEY, SUBJECT and SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { accessible, invoke, noSecretsIn, screenshot, statusMatching } from './pages.mjs';

const env = process.env;
const { BASE_URL, ADMIN_TOKEN, EDITOR_TOKEN, ACCOUNT, WORKSPACE, OTHER_WORKSPACE, STANDIN_APP, BROKEN_ID, FRESHDESK_KEY } = env;
const SUBJECT = env.SUBJECT ?? `person-${Date.now()}`;
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

async function builder(token, app, workspace = WORKSPACE) {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await page.goto(`${BASE_URL}/?app=${app}&workspace=${workspace}#token=${encodeURIComponent(token)}`);
  await page.waitForSelector('#auth-section[data-loaded=true]');
  return page;
}

const rows = page => page.$$eval('[data-testid=picker] li', items => items.map(li => ({
  id: li.dataset.connectionId, status: li.dataset.status,
  label: li.querySelector('.label').textContent, external: li.querySelector('[data-testid=external-account]').textContent,
})));

async function consentAs(page, subject) {
  const popupOpened = page.waitForEvent('popup');
  await page.click('dialog[open] [data-testid=connect-submit]');
  const popup = await popupOpened;
  await popup.waitForSelector('input[name=username]', { timeout: 15000 });
  await popup.fill('input[name=username]', subject);
  const closed = popup.waitForEvent('close', { timeout: 15000 });
  await popup.click('input[type=submit]');
  await closed;
}

test('the workspaces and apps come from the API; switching the workspace clears what belonged to the other', async () => {
  const page = await builder(ADMIN_TOKEN, 'freshdesk');
  const workspaces = await page.$$eval('#workspace option', o => o.map(x => x.value));
  assert.deepEqual(workspaces.sort(), [WORKSPACE, OTHER_WORKSPACE].sort(), 'the account\'s workspaces, from the API');
  const apps = await page.$$eval('#app option', o => o.map(x => x.value));
  assert.ok(apps.includes('freshdesk') && apps.includes('demo') && apps.includes(STANDIN_APP), apps.join());
  assert.ok(!apps.includes('openai'), 'model-provider keys are not offered on a node');
  await page.selectOption('#workspace', OTHER_WORKSPACE);
  await page.waitForSelector('#auth-section[data-loaded=true]');
  assert.match(await page.textContent('[data-testid=picker-empty]'), /No Freshdesk account is connected in this workspace yet/);
  await page.context().close();
});

test('API key: a bad subdomain is refused by the field, a refused key by its field, then a good one connects', async () => {
  const page = await builder(ADMIN_TOKEN, 'freshdesk');
  await page.click('#connect');
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  assert.equal(await dialog.locator('h2').textContent(), 'Connect New Account');
  // the shape comes from the catalog: name, Freshdesk's subdomain with its label and help, the key
  assert.ok(await dialog.getByLabel('Freshdesk subdomain').isVisible());
  assert.match(await dialog.locator('[data-field="fields.subdomain"] .help').textContent(), /The part before \.freshdesk\.com/);
  await accessible(page, 'builder: the Connect New Account dialog');

  await dialog.getByLabel('Connection name').fill('Acme support desk');
  await dialog.getByLabel('Freshdesk subdomain').fill('Acme Support!');
  await dialog.getByLabel('API key').fill(FRESHDESK_KEY);
  await dialog.locator('[data-testid=connect-submit]').click();
  const subdomainError = dialog.locator('[data-error-for="fields.subdomain"]');
  await subdomainError.waitFor();
  assert.match(await subdomainError.textContent(), /Freshdesk subdomain is not valid \(for example: acme\)/);
  assert.equal(await dialog.getByLabel('Freshdesk subdomain').getAttribute('aria-invalid'), 'true');
  assert.ok(await dialog.getByLabel('Freshdesk subdomain').evaluate(el => el === document.activeElement), 'focus moves to the field');
  await screenshot(page, 'builder-connect-dialog');

  // the API's own refusal lands by the field it names (credentials.apiKey)
  await dialog.getByLabel('Freshdesk subdomain').fill('acme');
  await dialog.getByLabel('API key').fill('not-a-freshdesk-key');
  await dialog.locator('[data-testid=connect-submit]').click();
  const keyError = dialog.locator('[data-error-for="credentials.apiKey"]');
  await keyError.waitFor();
  assert.match(await keyError.textContent(), /^Freshdesk did not accept the key and fields/);
  assert.equal(await subdomainError.isHidden(), true, 'the corrected field is no longer in error');

  await dialog.getByLabel('API key').fill(FRESHDESK_KEY);
  await dialog.locator('[data-testid=connect-submit]').click();
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  const said = await statusMatching(page, '#status', /Connected/);
  assert.equal(said, 'Connected “Acme support desk” (acme · 5001).');
  const list = await rows(page);
  assert.deepEqual(list.map(r => [r.label, r.external, r.status]), [['Acme support desk', 'acme · 5001', 'ACTIVE']]);
  await noSecretsIn(page, [FRESHDESK_KEY]);
  await accessible(page, 'builder: an API-key account in the picker');
  await page.context().close();
});

test('OAuth 2.0 through the popup; a second external account of the same app is a distinct row', async () => {
  const page = await builder(ADMIN_TOKEN, 'demo');
  for (const subject of [SUBJECT + '-alice', SUBJECT + '-bob']) {
    await page.click('#connect');
    await page.locator('dialog[open]').getByLabel('Connection name').fill('CRM ' + subject.split('-').pop());
    await consentAs(page, subject);
    await statusMatching(page, '#status', new RegExp('Connected “CRM .*” \\(' + subject + '\\)'));
  }
  const list = await rows(page);
  assert.equal(list.length, 2, JSON.stringify(list));
  assert.deepEqual(list.map(r => r.external).sort(), [SUBJECT + '-alice', SUBJECT + '-bob']);
  assert.ok(list.every(r => r.status === 'ACTIVE'));
  await screenshot(page, 'builder-two-accounts');
  await accessible(page, 'builder: two accounts of one app');
  await page.context().close();
});

test('closing the popup says so and resets the dialog', async () => {
  const page = await builder(ADMIN_TOKEN, 'demo');
  await page.click('#connect');
  const popupOpened = page.waitForEvent('popup');
  await page.click('dialog[open] [data-testid=connect-submit]');
  const popup = await popupOpened;
  await popup.waitForSelector('input[name=username]', { timeout: 15000 });
  await popup.close();
  const said = await statusMatching(page, 'dialog[open] [data-testid=connect-status]', /closed/);
  assert.equal(said, 'The Demo CRM (local OAuth server) window was closed before the account was connected. Nothing was connected.');
  assert.equal(await page.isEnabled('dialog[open] [data-testid=connect-submit]'), true, 'the dialog can start again');
  assert.equal(await page.isEnabled('dialog[open] input[name=label]'), true);
  // Escape closes the dialog; focus returns to the button that opened it
  await page.keyboard.press('Escape');
  await page.waitForSelector('dialog[open]', { state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'connect');
  await page.context().close();
});

test('declining consent at the provider says so and resets the dialog', async () => {
  const page = await builder(ADMIN_TOKEN, 'demo');
  const before = (await rows(page)).length;
  await page.click('#connect');
  const popupOpened = page.waitForEvent('popup');
  await page.click('dialog[open] [data-testid=connect-submit]');
  const popup = await popupOpened;
  await popup.waitForSelector('input[name=username]', { timeout: 15000 });
  // the person presses "Deny" (the demo server's page has none): the provider sends the browser back
  // to our callback with error=access_denied and the request's own state (RFC 6749 §4.1.2.1)
  const asked = new URL(popup.url());
  const back = new URL(asked.searchParams.get('redirect_uri'));
  back.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user denied the request',
    state: asked.searchParams.get('state') }).toString();
  const closed = popup.waitForEvent('close', { timeout: 15000 });
  // navigated by the provider's page itself, as a redirect is (a navigation from the browser's address
  // bar would start a new browsing context group and cut the popup from its opener)
  await popup.evaluate(url => { location.href = url; }, back.toString()).catch(e => { if (!popup.isClosed()) throw e; });
  await closed;
  const said = await statusMatching(page, 'dialog[open] [data-testid=connect-status]', /declined/);
  assert.equal(said, 'Access was declined in the Demo CRM (local OAuth server) window. Nothing was connected.');
  assert.equal(await page.isEnabled('dialog[open] [data-testid=connect-submit]'), true, 'the dialog can start again');
  await accessible(page, 'builder: consent declined');
  await page.keyboard.press('Escape');
  assert.equal((await rows(page)).length, before, 'nothing was connected');
  await page.context().close();
});

test('an editor selects accounts but cannot start a connect', async () => {
  const page = await builder(EDITOR_TOKEN, 'freshdesk');
  assert.equal(await page.locator('#connect').isVisible(), false, 'no Connect New Account for an editor');
  assert.match(await page.textContent('[data-testid=role-note]'), /Only admins of this workspace can connect or reconnect accounts/);
  const list = await rows(page);
  assert.equal(list.length, 1, 'the account the admin connected is offered');
  await page.check(`[data-testid=picker] input[value="${list[0].id}"]`);
  await accessible(page, 'builder as an editor');
  await screenshot(page, 'builder-editor');
  await page.context().close();
});

test('a connection the provider stops refreshing shows the banner and Reconnect brings it back to ACTIVE', async () => {
  const page = await builder(ADMIN_TOKEN, STANDIN_APP);
  assert.deepEqual((await rows(page)).map(r => r.status), ['ACTIVE']);
  assert.equal(await page.locator('[data-testid=reauth-banner]').isVisible(), false);

  // the runtime's call was answered 401: the resolver renews the token, the provider says invalid_grant
  const answer = await invoke(BASE_URL, 'ResolverFunction', { connectionId: BROKEN_ID, accountId: ACCOUNT, workspaceId: WORKSPACE,
    runId: 'run-browser-1', stepId: 'step-1', credentialRejected: true });
  assert.equal(answer.status, 'waiting', JSON.stringify(answer));
  assert.equal(answer.reason, 'reauthorization_required');

  // the banner shows on any node of the workspace, and links to the row of another app's node
  await page.selectOption('#app', 'freshdesk');
  await page.waitForSelector('#auth-section[data-loaded=true]');
  const banner = page.locator('[data-testid=reauth-banner]');
  await banner.waitFor();
  assert.match(await banner.textContent(), /^A connection needs to be reauthorized/);
  await accessible(page, 'builder: the reauthorization banner');
  await banner.locator(`a[data-connection-id="${BROKEN_ID}"]`).click();
  await page.waitForFunction(id => document.querySelector(`[data-connection-id="${id}"][data-status=ERROR]`), BROKEN_ID);
  assert.equal(await page.inputValue('#app'), STANDIN_APP, 'the banner took the builder to the app of the connection');
  const reconnect = page.locator(`[data-connection-id="${BROKEN_ID}"] button.reconnect`);
  await page.waitForFunction(() => document.activeElement && document.activeElement.classList.contains('reconnect'));
  assert.match(await page.textContent(`[data-connection-id="${BROKEN_ID}"] .status`), /Needs reauthorization/);
  await screenshot(page, 'builder-reauthorization-banner');

  // Reconnect: the same account at the provider (its consent is answered at once here)
  await reconnect.click();
  const dialog = page.locator('dialog[open]');
  assert.equal(await dialog.locator('h2').textContent(), 'Reconnect Account');
  const popupOpened = page.waitForEvent('popup');
  await dialog.locator('[data-testid=connect-submit]').click();
  await popupOpened;
  await page.waitForSelector('dialog[open]', { state: 'detached', timeout: 20000 });
  await statusMatching(page, '#status', /^Reconnected/);
  assert.deepEqual((await rows(page)).map(r => [r.id, r.status]), [[BROKEN_ID, 'ACTIVE']]);
  await page.waitForSelector('[data-testid=reauth-banner]', { state: 'hidden' });
  await page.context().close();
});

test('from the local tools alone: removing a demo user\'s access at the provider breaks their connection; Reconnect mends it', async () => {
  const alice = SUBJECT + '-alice';
  const tools = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await tools.goto(`${BASE_URL}/local/tools`);
  const row = tools.locator('tr', { hasText: alice });
  await row.waitFor();
  assert.equal(await row.getAttribute('data-status'), 'ACTIVE');
  await accessible(tools, 'local tools');
  // alice connected moments ago, and a connection is refreshed at most once every 10 s: the page says
  // so and keeps the button until the refresh is refused (bounded: four tries, 4 s apart)
  let said = '';
  for (let attempt = 0; attempt < 4 && !/1 connection now needs reauthorization/.test(said); attempt++) {
    if (attempt > 0) await tools.waitForTimeout(4000);
    await row.getByRole('button', { name: `Remove ${alice}'s access at the provider` }).click();
    said = await statusMatching(tools, '#status', /reauthorization/);
  }
  assert.match(said, new RegExp(`^${alice}'s access is removed at the demo provider\\. 1 connection now needs reauthorization\\.`));
  assert.equal(await tools.locator('tr', { hasText: alice }).getAttribute('data-status'), 'ERROR');
  assert.equal(await tools.locator('tr', { hasText: SUBJECT + '-bob' }).getAttribute('data-status'), 'ACTIVE', 'bob kept his access');
  await tools.context().close();

  const page = await builder(ADMIN_TOKEN, 'demo');
  const banner = page.locator('[data-testid=reauth-banner]');
  await banner.waitFor();
  assert.match(await banner.textContent(), /^A connection needs to be reauthorized/);
  const broken = (await rows(page)).find(r => r.external === alice);
  assert.equal(broken.status, 'ERROR');
  await page.locator(`[data-connection-id="${broken.id}"] button.reconnect`).click();
  await consentAs(page, alice);
  await statusMatching(page, '#status', /^Reconnected/);
  assert.deepEqual((await rows(page)).map(r => r.status), ['ACTIVE', 'ACTIVE']);
  await page.waitForSelector('[data-testid=reauth-banner]', { state: 'hidden' });
  // the new consent is a new grant: the runtime gets the credential again
  const again = await invoke(BASE_URL, 'ResolverFunction', { connectionId: broken.id, accountId: ACCOUNT, workspaceId: WORKSPACE,
    runId: 'run-browser-2', stepId: 'step-1' });
  assert.equal(again.status, 'ok', JSON.stringify({ status: again.status, reason: again.reason }));
  await page.context().close();
});
