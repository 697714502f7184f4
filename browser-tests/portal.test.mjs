// The client portal in a real headless Chromium: the client sees the connections they authorized,
// rotates one and revokes another. Run by BrowserPortalTest (JUnit), which starts the dev server and
// passes BASE_URL, TOKEN, ROTATE_ID and REVOKE_ID.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './browser.mjs';

const { BASE_URL, TOKEN, ROTATE_ID, REVOKE_ID, SCREENSHOT } = process.env;

test('a client rotates one connection and revokes another on the portal page', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE_URL}/portal#token=${encodeURIComponent(TOKEN)}`);
    await page.waitForSelector('body[data-loaded=true]');
    const ids = await page.$$eval('#connections tr', rows => rows.map(r => r.dataset.connectionId));
    assert.deepEqual([...ids].sort(), [ROTATE_ID, REVOKE_ID].sort(), 'only the connections this client authorized');

    await page.click(`tr[data-connection-id="${ROTATE_ID}"] button.rotate`);
    await page.waitForFunction(() => /^Rotated /.test(document.querySelector('#status').textContent));
    await page.waitForFunction(id => document.querySelector(`tr[data-connection-id="${id}"] td:nth-child(4)`).textContent !== '-', ROTATE_ID);

    await page.click(`tr[data-connection-id="${REVOKE_ID}"] button.revoke`);
    await page.waitForFunction(id => document.querySelector(`tr[data-connection-id="${id}"] .status`)?.textContent === 'REVOKED', REVOKE_ID);
    assert.equal(await page.textContent(`tr[data-connection-id="${ROTATE_ID}"] .status`), 'ACTIVE');
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });
  } finally {
    await browser.close();
  }
});
