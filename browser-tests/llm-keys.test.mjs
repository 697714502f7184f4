// The LLM Keys page in a real headless Chromium, through the dev stack with real tokens: an account
// admin adds an OpenAI key at account scope, grants it to two workspaces with different caps, the
// runtime spends through the resolver (reserve, then settle), the spend bars move; a cap changes, a
// grant is removed. A member is told they cannot manage keys. axe-core on each state.
// Run by BrowserLlmKeysTest (JUnit): BASE_URL, ADMIN_TOKEN, MEMBER_TOKEN, ACCOUNT, WS_A, WS_A_NAME,
// WS_B, WS_B_NAME, OPENAI_KEY, SCREENSHOTS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { accessible, invoke, noSecretsIn, screenshot, statusMatching } from './pages.mjs';

const { BASE_URL, ADMIN_TOKEN, MEMBER_TOKEN, ACCOUNT, WS_A, WS_A_NAME, WS_B, WS_B_NAME, OPENAI_KEY } = process.env;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

async function llmKeys(token) {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await open(page, token);
  return page;
}

/** Loads the page afresh (the token is read from the fragment, then dropped from the address bar). */
async function open(page, token, visit = 0) {
  await page.goto(`${BASE_URL}/llm-keys?visit=${visit}#token=${encodeURIComponent(token)}`);
  await page.waitForSelector('body[data-loaded=true]');
}

/** The runtime spends `usd` in a workspace: a reservation with the estimate, then the settled amount. */
async function spend(connectionId, workspaceId, usd) {
  const resolved = await invoke(BASE_URL, 'ResolverFunction', { connectionId, accountId: ACCOUNT, workspaceId,
    runId: 'run-' + Date.now() + '-' + Math.random().toString(36).slice(2, 8), stepId: 'llm', estimatedCostUsd: usd });
  assert.equal(resolved.status, 'ok', JSON.stringify({ status: resolved.status, reason: resolved.reason }));
  const settled = await invoke(BASE_URL, 'ResolverFunction', { reservationId: resolved.reservationId, actualCostUsd: usd });
  assert.equal(settled.status, 'settled');
}

const grantRow = (page, ws) => page.locator(`tr[data-workspace-id="${ws}"]`);

test('an admin shares an OpenAI key with two workspaces, watches the spend, changes a cap and removes a grant', async () => {
  const page = await llmKeys(ADMIN_TOKEN);
  assert.match(await page.textContent('[data-testid=keys]'), /no model-provider keys yet/);
  await accessible(page, 'LLM Keys: no key yet');

  await page.selectOption('#provider', 'openai');
  await page.getByLabel('Name').fill('Agency OpenAI');
  await page.getByLabel('API key').fill('sk-not-a-valid-key');
  await page.click('#add-key-submit');
  await page.waitForSelector('[data-error-for="credentials.apiKey"]:not([hidden])');
  assert.match(await page.textContent('[data-error-for="credentials.apiKey"]'), /^OpenAI did not accept the key/);
  await page.getByLabel('API key').fill(OPENAI_KEY);
  await page.click('#add-key-submit');
  await statusMatching(page, '[data-testid=page-status]', /^Added “Agency OpenAI”/);
  await noSecretsIn(page, [OPENAI_KEY]);
  const card = page.locator('article.key');
  const connectionId = await card.getAttribute('data-connection-id');

  for (const [ws, name, cap] of [[WS_A, WS_A_NAME, '50'], [WS_B, WS_B_NAME, '10']]) {
    const grant = card.locator('form.grant-form');
    await grant.getByLabel('Workspace', { exact: true }).selectOption(ws);
    await grant.getByLabel('Monthly cap (USD)').fill(cap);
    await grant.getByRole('button', { name: 'Grant', exact: true }).click();
    await statusMatching(page, '[data-testid=page-status]', new RegExp(`^${name} can now use “Agency OpenAI” up to \\$${cap}\\.00 a month`));
  }
  assert.match(await grantRow(page, WS_A).textContent(), /\$0\.00 of \$50\.00 this month \(0%\) · \$50\.00 left/);
  assert.match(await grantRow(page, WS_B).textContent(), /\$0\.00 of \$10\.00 this month \(0%\) · \$10\.00 left/);

  // the runtime spends through the resolver; the page shows it
  await spend(connectionId, WS_A, 12.5);
  await spend(connectionId, WS_B, 7.25);
  await open(page, ADMIN_TOKEN, 1);
  assert.match(await grantRow(page, WS_A).textContent(), /\$12\.50 of \$50\.00 this month \(25%\) · \$37\.50 left/);
  assert.match(await grantRow(page, WS_B).textContent(), /\$7\.25 of \$10\.00 this month \(73%\) · \$2\.75 left/);
  assert.equal(await grantRow(page, WS_A).locator('meter').evaluate(m => m.value), 12.5);
  assert.equal(await grantRow(page, WS_B).locator('meter').evaluate(m => m.max), 10);
  await accessible(page, 'LLM Keys: a key with two grants');
  await screenshot(page, 'llm-keys');

  // change a cap
  await grantRow(page, WS_B).getByRole('button', { name: /Change cap/ }).click();
  await grantRow(page, WS_B).getByLabel('Monthly cap (USD)').fill('-5');
  await grantRow(page, WS_B).getByRole('button', { name: 'Save' }).click();
  assert.match(await grantRow(page, WS_B).locator('.field-error').textContent(), /between \$0 and \$1,000,000/);
  await grantRow(page, WS_B).getByLabel('Monthly cap (USD)').fill('20');
  await grantRow(page, WS_B).getByRole('button', { name: 'Save' }).click();
  await statusMatching(page, '[data-testid=page-status]', /is now \$20\.00/);
  assert.match(await grantRow(page, WS_B).textContent(), /\$7\.25 of \$20\.00 this month \(36%\) · \$12\.75 left/);

  // remove a grant, after a confirmation
  await grantRow(page, WS_B).getByRole('button', { name: /Remove/ }).click();
  await page.locator('[data-testid=confirm-dialog]').getByRole('button', { name: 'Remove grant' }).click();
  await statusMatching(page, '[data-testid=page-status]', new RegExp(`^${WS_B_NAME} no longer uses`));
  assert.equal(await grantRow(page, WS_B).count(), 0);
  assert.equal(await grantRow(page, WS_A).count(), 1);
  const denied = await invoke(BASE_URL, 'ResolverFunction', { connectionId, accountId: ACCOUNT, workspaceId: WS_B,
    runId: 'run-after-removal', stepId: 'llm', estimatedCostUsd: 1 });
  assert.equal(denied.status, 'denied', 'the removed workspace cannot use the key any more');
  await page.context().close();
});

test('a member is told they cannot manage keys', async () => {
  const page = await llmKeys(MEMBER_TOKEN);
  assert.match(await page.textContent('[data-testid=page-status]'), /^Only account admins can manage LLM keys/);
  assert.equal(await page.isVisible('#add-key'), false);
  await accessible(page, 'LLM Keys as a member');
  await page.context().close();
});
