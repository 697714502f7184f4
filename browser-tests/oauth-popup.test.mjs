// The OAuth popup, end to end, in a real headless Chromium (Debian chromium + playwright-core):
// the builder page's "Connect New Account" dialog opens the popup, the user signs in on the
// provider's consent screen, the popup reports back with postMessage, the page completes the flow
// with its own token, and "Select an account" shows the new connection with its external account.
// Connecting again as the same user adds no second connection.
//
// Run by BrowserOAuthPopupTest (JUnit), which starts the dev server and passes BASE_URL, TOKEN
// and SUBJECT; or by hand against `bin/local`: BASE_URL=http://127.0.0.1:8787 node --test oauth-popup.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';
import { screenshot, statusMatching } from './pages.mjs';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8787';
const TOKEN = process.env.TOKEN;
const SUBJECT = process.env.SUBJECT ?? `person-${Date.now()}`;

async function connectThroughPopup(page) {
  await page.click('#connect');
  await page.waitForSelector('dialog[open] [data-testid=connect-submit]');
  const popupOpened = page.waitForEvent('popup');
  await page.click('dialog[open] [data-testid=connect-submit]');
  const popup = await popupOpened;
  await popup.waitForSelector('input[name=username]', { timeout: 15000 });
  await popup.fill('input[name=username]', SUBJECT);
  const closed = popup.waitForEvent('close', { timeout: 15000 });
  await popup.click('input[type=submit]');
  await closed; // the result page posts to the builder and closes itself
  return statusMatching(page, '#status', /Connected|not connected/i);
}

test('a person connects the demo app through the popup and sees it in the picker', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const fragment = TOKEN ? `#token=${encodeURIComponent(TOKEN)}` : '';
    await page.goto(`${BASE_URL}/?app=demo${fragment}`);
    await page.waitForSelector('#auth-section[data-loaded=true]');
    assert.equal(await page.evaluate(() => location.hash), '', 'the token does not stay in the address bar');

    const first = await connectThroughPopup(page);
    assert.match(first, /^Connected “Demo CRM \(local OAuth server\)” \(/, first);
    assert.ok(first.includes(SUBJECT), 'the external account is named');
    await page.waitForSelector('#picker li, [data-testid=picker] li');
    const ids = await page.$$eval('[data-testid=picker] li', items => items.map(li => li.dataset.connectionId));
    assert.equal(ids.length, 1);
    assert.equal(await page.getAttribute('[data-testid=picker] li', 'data-status'), 'ACTIVE');
    assert.equal(await page.textContent('[data-testid=picker] li [data-testid=external-account]'), SUBJECT);
    assert.ok(await page.isChecked(`[data-testid=picker] input[value="${ids[0]}"]`), 'the new account is selected on the node');

    const second = await connectThroughPopup(page);
    assert.equal(second, first, 'reconnecting the same account reports the same connection');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=picker] li').length === 1);
    await screenshot(page, 'builder-after-connect');
  } finally {
    await browser.close();
  }
});
