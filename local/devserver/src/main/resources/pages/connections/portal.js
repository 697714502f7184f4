// The client portal (/portal/connections): the connections this client authorized, with the app's
// name, the external account, status and when it was last refreshed; connect an app (the popup
// flow, completed by this page with the client's own token), rotate, revoke with a confirmation,
// reconnect what needs it. Every failed call is said in words.
import { api } from './api.js';
import { consent, endedInWords, randomNonce } from './oauth-popup.js';
import { h, humanTime, notice, statusBadge, confirmDialog } from './ui.js';

const $ = id => document.getElementById(id);
const say = notice($('status'));
const USER = 'client@acme.test';
const call = (method, path, body) => api(method, path, body, { defaultUser: USER });
let apps = new Map();

const appName = key => (apps.get(key) ? apps.get(key).name : key);

/** Connect (or reconnect) through the popup; this page completes the flow with the client's token. */
async function connect(appKey, { authorizeUrl, nonce, label } = {}) {
  const name = appName(appKey);
  say.say(`Waiting for you to sign in to ${name} in the new window…`, 'info');
  try {
    await consent({
      nonce, authorizeUrl,
      start: authorizeUrl ? undefined : n => call('POST', '/portal/connect-sessions', { app: appKey, nonce: n }),
      complete: (sessionId, completionCode) => call('POST', `/portal/connect-sessions/${encodeURIComponent(sessionId)}/complete`,
        { completionCode }),
      onProgress: step => { if (step === 'completing') say.say('Connecting…', 'info'); },
    });
    await load();
    say.say(label ? `${name} is connected again (“${label}”).` : `${name} is connected. Your agency can use it now.`, 'success');
  } catch (e) {
    say.say(endedInWords(e, name), 'error');
  }
}

/**
 * Reconnect in one click: the popup opens on the click; a rotation the provider refuses answers with
 * a reconnect session for this same connection (the same account only), whose URL the popup then loads.
 */
async function reconnectFlow(c) {
  const name = appName(c.app);
  say.say(`Waiting for you to sign in to ${name} in the new window…`, 'info');
  try {
    await consent({
      start: async nonce => {
        const answer = await call('POST', `/portal/connections/${encodeURIComponent(c.id)}/rotate`, { nonce });
        if (answer.status === 'rotated') throw new Error('rotated');
        return { authorizeUrl: answer.reauthorizeUrl };
      },
      complete: (sessionId, completionCode) => call('POST', `/portal/connect-sessions/${encodeURIComponent(sessionId)}/complete`,
        { completionCode }),
      onProgress: step => { if (step === 'completing') say.say('Connecting…', 'info'); },
    });
    await load();
    say.say(`${name} is connected again (“${c.label}”).`, 'success');
  } catch (e) {
    if (e.message === 'rotated') {
      await load();
      say.say(`${name} works again: it renewed its tokens without a new sign-in.`, 'success');
    } else {
      say.say(endedInWords(e, name), 'error');
    }
  }
}

async function rotate(c, button) {
  const nonce = randomNonce();
  button.disabled = true;
  try {
    const answer = await call('POST', `/portal/connections/${encodeURIComponent(c.id)}/rotate`, { nonce });
    if (answer.status === 'reauthorization_required') {
      // the provider cannot renew it: the client signs in again, in a popup opened by their own click
      const again = h('button', { type: 'button', class: 'primary' }, `Sign in to ${appName(c.app)} again`);
      again.addEventListener('click', () => connect(c.app, { authorizeUrl: answer.reauthorizeUrl, nonce, label: c.label }));
      say.say([`${appName(c.app)} cannot renew these tokens by itself. `, again], 'warning');
      again.focus();
    } else {
      await load();
      say.say(`Fresh tokens for ${appName(c.app)} (“${c.label}”). The old ones no longer work.`, 'success');
    }
  } catch (e) {
    say.say(`${appName(c.app)} was not rotated: ${e.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

async function revoke(c, button) {
  const name = appName(c.app);
  const yes = await confirmDialog({
    title: `Revoke ${name}?`,
    body: `Your agency's workflows will no longer reach your ${name} account${c.externalAccount ? ' (' + c.externalAccount + ')' : ''}. `
      + `This cannot be undone; you can connect ${name} again later.`,
    confirm: `Revoke ${name}`,
  });
  if (!yes) { button.focus(); return; }
  try {
    await call('DELETE', `/portal/connections/${encodeURIComponent(c.id)}`);
    await load();
    say.say(`${name} is revoked. Its tokens were withdrawn.`, 'success');
  } catch (e) {
    say.say(`${name} was not revoked: ${e.message}`, 'error');
  }
}

function row(item) {
  const c = item.connection;
  const name = appName(c.app);
  const actions = h('td', { class: 'row-actions' });
  if (c.status === 'ERROR') {
    const reconnect = h('button', { type: 'button', class: 'primary reconnect', 'aria-label': `Reconnect ${name}` }, 'Reconnect');
    reconnect.addEventListener('click', () => reconnectFlow(c));
    actions.append(reconnect, ' ');
  }
  if (c.status === 'ACTIVE') {
    const rot = h('button', { type: 'button', class: 'secondary rotate', 'aria-label': `Rotate ${name}` }, 'Rotate');
    rot.addEventListener('click', () => rotate(c, rot));
    actions.append(rot, ' ');
  }
  if (c.status !== 'REVOKED') {
    const rev = h('button', { type: 'button', class: 'danger-outline revoke', 'aria-label': `Revoke ${name}` }, 'Revoke');
    rev.addEventListener('click', () => revoke(c, rev));
    actions.append(rev);
  }
  return h('tr', { dataset: { connectionId: c.id, status: c.status } },
    h('th', { scope: 'row' }, h('span', { class: 'label' }, name), h('span', { class: 'muted sub' }, c.label)),
    h('td', { class: 'external', 'data-testid': 'external-account' }, c.externalAccount || '—'),
    h('td', {}, statusBadge(c.status)),
    h('td', { class: 'refreshed' }, humanTime(item.lastRefreshedAt)),
    actions);
}

async function load() {
  try {
    const list = await call('GET', '/portal/connections');
    const order = { ERROR: 0, ACTIVE: 1, PENDING: 2, REVOKED: 3 };
    const items = list.connections.slice().sort((a, b) => order[a.connection.status] - order[b.connection.status]
      || appName(a.connection.app).localeCompare(appName(b.connection.app)));
    $('connections').replaceChildren(...items.map(row));
    $('table').hidden = items.length === 0;
    $('empty').hidden = items.length > 0;
  } catch (e) {
    say.say(`Your connections could not be loaded: ${e.message}`, 'error');
  } finally {
    document.body.dataset.loaded = 'true';
  }
}

$('connect-form').addEventListener('submit', event => {
  event.preventDefault();
  if ($('portal-app').value) connect($('portal-app').value);
});
$('empty-connect').addEventListener('click', () => {
  $('portal-app').focus();
  if ($('portal-app').value) connect($('portal-app').value);
});

async function start() {
  try {
    const answer = await call('GET', '/portal/apps');
    apps = new Map(answer.apps.map(a => [a.key, a]));
    $('portal-app').replaceChildren(...answer.apps.slice().sort((a, b) => a.name.localeCompare(b.name))
      .map(a => h('option', { value: a.key }, a.name)));
    if (!answer.apps.length) $('connect-app').disabled = true;
  } catch (e) {
    say.say(`The apps you can connect could not be loaded: ${e.message}`, 'error');
  }
  await load();
}

start();
