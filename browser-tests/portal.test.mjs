// The client portal (/portal/connections) in a real headless Chromium, through the dev stack with
// real portal tokens.
//  - A new client: the empty state starts a connect (popup, completed by the page), the row shows the
//    app's name and external account; Rotate right after says in words why not yet, then rotates;
//    Revoke asks first, naming the app; Cancel keeps it, confirming revokes it.
//  - A client with connections: only the ones they authorized; rotate one, revoke another.
// Run by BrowserPortalTest (JUnit), which passes BASE_URL, TOKEN, ROTATE_ID, REVOKE_ID (the second
// client), NEW_TOKEN (the first), APP (the stand-in's app), APP_NAME and SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { accessible, screenshot, statusMatching } from './pages.mjs';

const { BASE_URL, TOKEN, ROTATE_ID, REVOKE_ID, NEW_TOKEN, APP, APP_NAME } = process.env;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

async function portal(token) {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
  await page.goto(`${BASE_URL}/portal/connections#token=${encodeURIComponent(token)}`);
  await page.waitForSelector('body[data-loaded=true]');
  return page;
}

test('a new client: empty state, connect, rotate, revoke with a confirmation naming the app', async () => {
  const page = await portal(NEW_TOKEN);
  assert.equal(await page.isVisible('[data-testid=empty]'), true);
  assert.match(await page.textContent('[data-testid=empty]'), /You have not connected any app yet/);
  await accessible(page, 'portal: the empty state');
  await screenshot(page, 'portal-empty');

  await page.selectOption('#portal-app', APP);
  const popupOpened = page.waitForEvent('popup');
  await page.click('#empty-connect');
  await popupOpened; // the provider answers at once here; the page completes with the client's token
  await statusMatching(page, '[data-testid=status]', new RegExp(`^${APP_NAME} is connected`));
  const row = page.locator('[data-testid=connections] tr');
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator('th .label').textContent(), APP_NAME, 'the app by its name, not its key');
  assert.equal(await row.locator('[data-testid=external-account]').textContent(), 'client-own-account');
  assert.equal(await row.getAttribute('data-status'), 'ACTIVE');
  assert.equal(await row.locator('.refreshed').textContent(), 'Never');
  assert.equal(await page.isVisible('[data-testid=empty]'), false);

  // tokens granted seconds ago are not renewed again: said in words, then it works
  await row.locator('button.rotate').click();
  const refused = await statusMatching(page, '[data-testid=status]', /was not rotated/);
  assert.match(refused, /renewed a few seconds ago\. Wait ten seconds and try again\.$/);
  assert.doesNotMatch(refused, /rotated_recently|409/);
  await page.waitForTimeout(10500);
  await row.locator('button.rotate').click();
  await statusMatching(page, '[data-testid=status]', /^Fresh tokens for/);
  await page.waitForFunction(() => document.querySelector('[data-testid=connections] tr .refreshed time'));
  assert.equal(await row.locator('.refreshed').textContent(), 'just now');

  // revoke asks first; Cancel keeps the connection
  await row.locator('button.revoke').click();
  const confirm = page.locator('[data-testid=confirm-dialog]');
  await confirm.waitFor();
  assert.equal(await confirm.locator('h2').textContent(), `Revoke ${APP_NAME}?`);
  assert.match(await confirm.textContent(), /client-own-account/);
  await accessible(page, 'portal: the revoke confirmation');
  await screenshot(page, 'portal-revoke-confirmation');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await row.getAttribute('data-status'), 'ACTIVE');
  await row.locator('button.revoke').click();
  await page.locator('[data-testid=confirm-dialog]').getByRole('button', { name: `Revoke ${APP_NAME}` }).click();
  await statusMatching(page, '[data-testid=status]', new RegExp(`^${APP_NAME} is revoked`));
  await page.waitForFunction(() => document.querySelector('[data-testid=connections] tr').dataset.status === 'REVOKED');
  assert.equal(await row.locator('button').count(), 0, 'nothing more to do with a revoked connection');
  await page.context().close();
});

test('a client rotates one connection and revokes another on the portal page', async () => {
  const page = await portal(TOKEN);
  const ids = await page.$$eval('[data-testid=connections] tr', rows => rows.map(r => r.dataset.connectionId));
  assert.deepEqual([...ids].sort(), [ROTATE_ID, REVOKE_ID].sort(), 'only the connections this client authorized');
  await accessible(page, 'portal: a client\'s connections');

  await page.click(`tr[data-connection-id="${ROTATE_ID}"] button.rotate`);
  await statusMatching(page, '[data-testid=status]', /^Fresh tokens for/);
  await page.waitForFunction(id => document.querySelector(`tr[data-connection-id="${id}"] .refreshed time`), ROTATE_ID);

  await page.click(`tr[data-connection-id="${REVOKE_ID}"] button.revoke`);
  await page.locator('[data-testid=confirm-dialog]').getByRole('button', { name: /^Revoke / }).click();
  await page.waitForFunction(id => document.querySelector(`tr[data-connection-id="${id}"]`)?.dataset.status === 'REVOKED', REVOKE_ID);
  assert.equal(await page.getAttribute(`tr[data-connection-id="${ROTATE_ID}"]`, 'data-status'), 'ACTIVE');
  await screenshot(page, 'portal');
  await page.context().close();
});
