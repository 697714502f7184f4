// The LLM Keys page (account admins): the account's model-provider keys, each with its grants to
// workspaces (monthly cap, month-to-date spend, remaining, a bar of spend against cap); add a key,
// grant it, change a cap, remove a grant. Members are told they cannot manage keys.
import { api, whoAmI } from './api.js';
import { catalog } from './connect.js';
import { h, notice, statusBadge, usd, confirmDialog } from './ui.js';

const $ = id => document.getElementById(id);
const say = notice($('page-status'));
let me = null;
let workspaces = [];
let providers = new Map();
const DEFAULT_USER = 'owner@demo.test';

function workspaceName(id) {
  const w = workspaces.find(x => x.id === id);
  return w ? w.name : id;
}

/** An input for a cap in US dollars (blank: no cap). */
function capInput(id, value, describedBy) {
  return h('input', { id, name: 'monthlySpendCapUsd', type: 'number', min: '0', max: '1000000', step: '0.01', inputmode: 'decimal',
    value: value === undefined || value === null ? '' : String(value), 'aria-describedby': describedBy, placeholder: 'No cap' });
}

function readCap(input) {
  const raw = input.value.trim();
  if (!raw) return { cap: null };
  const cap = Number(raw);
  if (!Number.isFinite(cap) || cap < 0 || cap > 1000000) return { error: 'Enter a monthly cap between $0 and $1,000,000, or leave it blank for no cap.' };
  return { cap: Math.round(cap * 100) / 100 };
}

function spendBar(grant) {
  const spent = grant.monthToDateSpendUsd || 0;
  if (grant.monthlySpendCapUsd === undefined || grant.monthlySpendCapUsd === null) {
    return h('p', { class: 'spend' }, `${usd(spent)} spent this month · no cap`);
  }
  const cap = grant.monthlySpendCapUsd;
  const percent = cap > 0 ? Math.min(100, Math.round(spent / cap * 100)) : 100;
  const id = 'spend-' + Math.random().toString(36).slice(2);
  return h('div', { class: 'spend' },
    h('meter', { id, min: '0', max: String(cap || 1), low: String(cap * 0.75), high: String(cap * 0.9), optimum: '0',
      value: String(Math.min(spent, cap || 1)), 'aria-label': `Spend this month against the cap in ${workspaceName(grant.workspaceId)}`,
      'aria-valuetext': `${usd(spent)} of ${usd(cap)} (${percent}%)`, 'data-testid': 'spend-bar' }),
    h('p', { class: 'spend-text' }, `${usd(spent)} of ${usd(cap)} this month (${percent}%) · ${usd(grant.remainingUsd)} left`));
}

function grantRow(key, grant) {
  const c = key.connection;
  const tr = h('tr', { dataset: { workspaceId: grant.workspaceId } });
  const capCell = h('td', { class: 'cap' }, grant.monthlySpendCapUsd === undefined ? 'No cap' : usd(grant.monthlySpendCapUsd));
  const change = h('button', { type: 'button', class: 'secondary change-cap', 'aria-label': `Change cap of ${workspaceName(grant.workspaceId)}` }, 'Change cap');
  const remove = h('button', { type: 'button', class: 'danger-outline remove-grant', 'aria-label': `Remove ${workspaceName(grant.workspaceId)}'s grant` }, 'Remove');
  change.addEventListener('click', () => {
    const inputId = `cap-${c.id}-${grant.workspaceId}`;
    const errorId = inputId + '-error';
    const input = capInput(inputId, grant.monthlySpendCapUsd, errorId);
    const error = h('p', { id: errorId, class: 'field-error', hidden: true });
    const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => load() }, 'Cancel');
    const form = h('form', { class: 'inline', novalidate: true },
      h('label', { for: inputId }, 'Monthly cap (USD)'), input, save, cancel, error);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const { cap, error: problem } = readCap(input);
      if (problem) { error.textContent = problem; error.hidden = false; input.setAttribute('aria-invalid', 'true'); input.focus(); return; }
      save.disabled = true;
      try {
        await api('POST', `/accounts/${me.accountId}/connections/${c.id}/grants`, { workspaceId: grant.workspaceId, monthlySpendCapUsd: cap });
        await load();
        say.say(`The cap of ${workspaceName(grant.workspaceId)} for “${c.label}” is now ${cap === null ? 'none' : usd(cap)}.`, 'success');
      } catch (e) {
        save.disabled = false;
        error.textContent = e.message;
        error.hidden = false;
      }
    });
    capCell.replaceChildren(form);
    input.focus();
  });
  remove.addEventListener('click', async () => {
    const yes = await confirmDialog({ title: `Remove ${workspaceName(grant.workspaceId)}'s access to “${c.label}”?`,
      body: `Workflows in ${workspaceName(grant.workspaceId)} stop using this key at once. Spend recorded so far is kept.`,
      confirm: 'Remove grant' });
    if (!yes) { remove.focus(); return; }
    try {
      await api('DELETE', `/accounts/${me.accountId}/connections/${c.id}/grants/${encodeURIComponent(grant.workspaceId)}`);
      await load();
      say.say(`${workspaceName(grant.workspaceId)} no longer uses “${c.label}”.`, 'success');
    } catch (e) {
      say.say(`The grant was not removed: ${e.message}`, 'error');
    }
  });
  tr.append(h('th', { scope: 'row' }, workspaceName(grant.workspaceId)), capCell, h('td', {}, spendBar(grant)),
    h('td', { class: 'row-actions' }, change, ' ', remove));
  return tr;
}

function grantForm(key) {
  const c = key.connection;
  const granted = new Set(key.grants.map(g => g.workspaceId));
  const open = workspaces.filter(w => !granted.has(w.id));
  const wsId = 'grant-ws-' + c.id;
  const capId = 'grant-cap-' + c.id;
  const errorId = capId + '-error';
  if (!open.length) return h('p', { class: 'muted' }, 'Every workspace of the account can use this key.');
  const select = h('select', { id: wsId, name: 'workspaceId' }, ...open.map(w => h('option', { value: w.id }, w.name)));
  const cap = capInput(capId, null, errorId);
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Grant');
  const form = h('form', { class: 'grant-form', novalidate: true, 'aria-label': `Grant “${c.label}” to a workspace` },
    h('div', { class: 'field' }, h('label', { for: wsId }, 'Workspace'), select),
    h('div', { class: 'field' }, h('label', { for: capId }, 'Monthly cap (USD)'), cap),
    h('div', { class: 'field end' }, submit), error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const { cap: amount, error: problem } = readCap(cap);
    if (problem) { error.textContent = problem; error.hidden = false; cap.setAttribute('aria-invalid', 'true'); cap.focus(); return; }
    submit.disabled = true;
    try {
      await api('POST', `/accounts/${me.accountId}/connections/${c.id}/grants`, { workspaceId: select.value, monthlySpendCapUsd: amount });
      const name = workspaceName(select.value);
      await load();
      say.say(`${name} can now use “${c.label}”${amount === null ? ' without a cap' : ' up to ' + usd(amount) + ' a month'}.`, 'success');
    } catch (e) {
      submit.disabled = false;
      error.textContent = e.message;
      error.hidden = false;
    }
  });
  return form;
}

function keyCard(key) {
  const c = key.connection;
  const provider = providers.get(c.app);
  const titleId = 'key-' + c.id;
  return h('article', { class: 'card key', 'aria-labelledby': titleId, dataset: { connectionId: c.id } },
    h('header', {}, h('h2', { id: titleId }, c.label), h('span', { class: 'muted' }, provider ? provider.name : c.app), statusBadge(c.status)),
    key.grants.length
      ? h('table', { class: 'grants' },
        h('caption', { class: 'visually-hidden' }, `Workspaces that use ${c.label}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Workspace'), h('th', { scope: 'col' }, 'Monthly cap'),
          h('th', { scope: 'col' }, 'Spend this month'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', {}, ...key.grants.map(g => grantRow(key, g))))
      : h('p', { class: 'muted' }, 'No workspace uses this key yet.'),
    h('h3', {}, 'Grant to a workspace'), grantForm(key));
}

async function load() {
  const answer = await api('GET', `/accounts/${encodeURIComponent(me.accountId)}/llm-keys`);
  const keys = answer.llmKeys.filter(k => k.connection.status !== 'REVOKED');
  $('keys').replaceChildren(...(keys.length ? keys.map(keyCard)
    : [h('p', { class: 'empty', 'data-testid': 'keys-empty' }, 'Your account has no model-provider keys yet. Add one above to share it with your workspaces.')]));
  document.body.dataset.loaded = 'true';
}

function fieldError(name, text) {
  const el = document.querySelector(`[data-error-for="${name}"]`);
  const input = document.querySelector(`[name="${name}"]`);
  if (!el) return false;
  el.textContent = text || '';
  el.hidden = !text;
  if (input) { if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid'); }
  return true;
}

$('add-key-form').addEventListener('submit', async event => {
  event.preventDefault();
  const label = $('key-label').value.trim();
  const key = $('key-value').value.trim();
  fieldError('label', label ? '' : 'Name is required.');
  fieldError('credentials.apiKey', key ? '' : 'API key is required.');
  if (!label) { $('key-label').focus(); return; }
  if (!key) { $('key-value').focus(); return; }
  const button = $('add-key-submit');
  button.disabled = true;
  say.say(`Checking the key with ${providers.get($('provider').value).name}…`, 'info');
  try {
    const connection = await api('POST', `/accounts/${encodeURIComponent(me.accountId)}/connections`,
      { app: $('provider').value, label, credentials: { apiKey: key } });
    $('key-value').value = '';
    $('key-label').value = '';
    await load();
    say.say(`Added “${connection.label}”. Grant it to a workspace to let its workflows use it.`, 'success');
  } catch (e) {
    if (e.field && fieldError(e.field, e.message)) {
      say.clear();
      document.querySelector(`[name="${e.field}"]`).focus();
    } else {
      say.say(`The key was not added: ${e.message}`, 'error');
    }
  } finally {
    button.disabled = false;
  }
});

async function start() {
  try {
    me = await whoAmI(DEFAULT_USER);
    if (me.accountRole !== 'admin') {
      say.say('Only account admins can manage LLM keys. Ask an admin of your account to add a key or change a workspace’s cap.', 'warning');
      document.body.dataset.loaded = 'true';
      return;
    }
    const [spaces, { apps }] = await Promise.all([api('GET', `/accounts/${encodeURIComponent(me.accountId)}/workspaces`), catalog()]);
    workspaces = spaces.workspaces.map(w => ({ id: w.id, name: w.name })).sort((a, b) => a.name.localeCompare(b.name));
    providers = new Map(apps.filter(a => a.category === 'model_provider' && a.credentialKinds.includes('API_KEY')).map(a => [a.key, a]));
    $('provider').replaceChildren(...[...providers.values()].sort((a, b) => a.name.localeCompare(b.name))
      .map(a => h('option', { value: a.key }, a.name)));
    $('add-key').hidden = false;
    await load();
  } catch (e) {
    say.say(e.message, 'error');
    document.body.dataset.loaded = 'true';
  }
}

start();
