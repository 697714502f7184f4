// The OAuth popup, end to end, in a real headless Chromium (Debian chromium + playwright-core):
// the demo builder page opens "Connect New Account", the user signs in on the provider's consent
// screen in the popup, the popup reports back with postMessage, and the picker shows the new
// connection. Connecting again as the same user adds no second connection.
//
// Run by BrowserOAuthPopupTest (JUnit), which starts the dev server and passes BASE_URL, TOKEN
// and SUBJECT; or by hand against `bin/local`: BASE_URL=http://127.0.0.1:8787 node --test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8787';
const TOKEN = process.env.TOKEN;
const SUBJECT = process.env.SUBJECT ?? `person-${Date.now()}`;
const SCREENSHOT = process.env.SCREENSHOT;

async function connectThroughPopup(page) {
  const popupOpened = page.waitForEvent('popup');
  await page.click('#connect');
  const popup = await popupOpened;
  await popup.waitForSelector('input[name=username]', { timeout: 15000 });
  await popup.fill('input[name=username]', SUBJECT);
  const closed = popup.waitForEvent('close', { timeout: 15000 });
  await popup.click('input[type=submit]');
  await closed; // the result page posts to the builder and closes itself
  await page.waitForFunction(() => /Connected|Not connected/.test(document.querySelector('#status').textContent));
  return page.textContent('#status');
}

test('a person connects the demo app through the popup and sees it in the picker', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const fragment = TOKEN ? `#token=${encodeURIComponent(TOKEN)}` : '';
    await page.goto(`${BASE_URL}/${fragment}`);
    await page.waitForSelector('#connect');

    const first = await connectThroughPopup(page);
    assert.match(first, /^Connected \(/, first);
    await page.waitForSelector('#picker li');
    const ids = await page.$$eval('#picker li', items => items.map(li => li.dataset.connectionId));
    assert.equal(ids.length, 1);
    assert.ok(first.includes(ids[0]), 'the popup reported the connection the picker shows');
    assert.match(await page.textContent('#picker li'), /ACTIVE/);

    const second = await connectThroughPopup(page);
    assert.equal(second, first, 'reconnecting the same account reports the same connection');
    await page.waitForFunction(() => document.querySelectorAll('#picker li').length === 1);
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });
  } finally {
    await browser.close();
  }
});
