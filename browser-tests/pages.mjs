// Helpers the page tests share: an accessibility check with axe-core (injected into the page under
// test, no serious or critical violation allowed), screenshots into SCREENSHOTS (a directory), the
// dev server's Lambda Invoke API (the runtime's view: the resolver), and a popup's consent.
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it is now; fails on any serious or critical violation; returns the counts. */
export async function accessible(page, what) {
  // evaluated through the DevTools protocol: the page's own CSP (script-src 'self') stays as it is
  await page.evaluate(AXE);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const blocking = results.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  const summary = results.violations.map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`);
  console.log(`# axe ${what}: ${results.violations.length} violation(s)${summary.length ? '\n#   ' + summary.join('\n#   ') : ''}`);
  assert.deepEqual(blocking.map(v => v.id), [], `${what}: serious or critical accessibility violations:\n${summary.join('\n')}`);
  return results.violations.length;
}

/** A full-page screenshot named `name`.png in SCREENSHOTS (when set). */
export async function screenshot(page, name) {
  const dir = process.env.SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name + '.png'), fullPage: true });
}

/** Invokes a function of the dev server as the runtime would (Lambda Invoke API). */
export async function invoke(baseUrl, fn, payload) {
  const response = await fetch(`${baseUrl}/2015-03-31/functions/${fn}/invocations`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-amz-function-error'), null);
  return response.json();
}

/** Nothing secret in the page: none of `secrets` in its HTML or in any input's value. */
export async function noSecretsIn(page, secrets) {
  const html = await page.content();
  const values = await page.$$eval('input', inputs => inputs.map(i => i.value).join('\n'));
  for (const secret of secrets) {
    assert.ok(!html.includes(secret), 'a secret is in the page');
    assert.ok(!values.includes(secret), 'a secret stayed in an input');
  }
}

/** The page's status line once it says something matching `pattern`. */
export async function statusMatching(page, selector, pattern, timeout = 20000) {
  await page.waitForFunction(([sel, source]) => {
    const el = document.querySelector(sel);
    return el && !el.hidden && new RegExp(source).test(el.textContent);
  }, [selector, pattern.source], { timeout });
  return page.textContent(selector);
}
