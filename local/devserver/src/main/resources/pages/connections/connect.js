// The authentication section of a builder node: "Select an account" (the picker), "Connect New
// Account" (a dialog shaped by the catalog), and the reauthorization banner. The builder embeds it:
//
//   import { mountAuthSection, openConnect } from '/connections/connect.js';
//   const section = mountAuthSection(element, { workspaceId, app, kinds, onSelect });
//   const result = await openConnect({ workspaceId, app, kinds });   // {connectionId, created} or null
//
// Everything comes from the API: the app's name, kinds and fields from GET /apps, the accounts from
// the picker, the banner from the alerts. Workspace admins connect and reconnect; editors select.
import { api, whoAmI, isWorkspaceAdmin, sentence } from './api.js';
import { consent, endedInWords } from './oauth-popup.js';
import { h, statusBadge, notice } from './ui.js';

let catalogPromise = null;

/** The app catalog (GET /apps), loaded once: {byKey: Map, apps: [...]}. */
export function catalog() {
  if (!catalogPromise) {
    catalogPromise = api('GET', '/apps').then(answer => ({
      apps: answer.apps,
      byKey: new Map(answer.apps.map(app => [app.key, app])),
    }));
    catalogPromise.catch(() => { catalogPromise = null; });
  }
  return catalogPromise;
}

const KIND_NAMES = { OAUTH2: 'OAuth 2.0', API_KEY: 'API key' };
const CONNECTABLE = ['OAUTH2', 'API_KEY'];
let uid = 0;

/** A label, input, help and error line for one form control, wired for assistive technology. */
function field({ name, label, type = 'text', required = false, help, example, autocomplete = 'off', value = '' }) {
  const id = 'connect-' + name.replace(/\W/g, '-') + '-' + (++uid);
  const helpId = id + '-help';
  const errorId = id + '-error';
  const input = h('input', {
    id, name, type, autocomplete, spellcheck: 'false', value,
    required: required || undefined, 'aria-required': required ? 'true' : undefined,
    'aria-describedby': (help || example ? helpId + ' ' : '') + errorId,
    placeholder: example ? 'e.g. ' + example : undefined,
  });
  const error = h('p', { id: errorId, class: 'field-error', 'data-error-for': name, hidden: true });
  const wrapper = h('div', { class: 'field', 'data-field': name },
    h('label', { for: id }, label, required ? '' : h('span', { class: 'muted' }, ' (optional)')),
    input,
    help || example ? h('p', { id: helpId, class: 'help' }, [help, example ? `For example: ${example}` : '']
      .filter(Boolean).map(t => (/[.!?]$/.test(t) ? t : t + '.')).join(' ')) : null,
    error);
  return {
    wrapper, input, name,
    setError(text) {
      error.textContent = text || '';
      error.hidden = !text;
      if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    },
  };
}

/** The catalog's anchored pattern as a browser RegExp; null when the browser cannot read it (the API checks it anyway). */
function browserPattern(pattern) {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try { return new RegExp(pattern); } catch { return null; }
  }
}

/**
 * Opens the "Connect New Account" dialog for a node. Resolves to the API's answer ({connectionId,
 * created}) once connected, or null when the person closes the dialog. Scope: a workspace
 * (`workspaceId`) or, for account admins, the account (`accountId`, API key apps only).
 */
export async function openConnect({ workspaceId, accountId, app: appKey, kinds, reconnect, opener = document.activeElement } = {}) {
  const { byKey } = await catalog();
  const app = byKey.get(appKey);
  if (!app) throw new Error(`The app "${appKey}" is not in the catalog.`);
  const offered = app.credentialKinds.filter(k => CONNECTABLE.includes(k) && (!kinds || !kinds.length || kinds.includes(k))
    && (!accountId || k === 'API_KEY') && (!reconnect || k === reconnect.kind));
  const scopePath = accountId ? `/accounts/${encodeURIComponent(accountId)}` : `/workspaces/${encodeURIComponent(workspaceId)}`;

  return new Promise(resolve => {
    const titleId = 'connect-title-' + (++uid);
    const status = h('p', { class: 'notice', hidden: true, 'data-testid': 'connect-status' });
    const say = notice(status);
    const body = h('div', { class: 'dialog-body' });
    const close = h('button', { type: 'button', class: 'icon', 'aria-label': 'Close', onclick: () => finish(null) }, '×');
    const dialog = h('dialog', { class: 'connect-dialog', 'aria-labelledby': titleId, 'data-testid': 'connect-dialog' },
      h('header', {}, h('h2', { id: titleId }, reconnect ? 'Reconnect Account' : 'Connect New Account'), close),
      h('p', { class: 'app-line' }, h('strong', {}, app.name), app.description ? ' · ' + app.description : ''),
      body, status);
    let done = false;
    let busy = false;
    function finish(answer) {
      if (done) return;
      done = true;
      dialog.close();
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
      resolve(answer);
    }
    dialog.addEventListener('cancel', event => { if (busy) event.preventDefault(); else finish(null); });

    if (!offered.length) {
      body.append(h('p', {}, `${app.name} cannot be connected here${accountId ? ' at account scope' : ''}.`));
    }
    let choice = offered[0];
    const choices = offered.length > 1 ? h('fieldset', { class: 'kinds' }, h('legend', {}, 'How to connect'),
      ...offered.map(kind => {
        const id = 'connect-kind-' + kind + '-' + (++uid);
        return h('div', { class: 'choice' },
          h('input', { type: 'radio', name: 'kind-' + titleId, id, value: kind, checked: kind === choice,
            onchange: () => { choice = kind; render(); } }),
          h('label', { for: id }, kind === 'OAUTH2' ? `Sign in with ${app.name} (${KIND_NAMES[kind]})` : `Paste an ${app.apiKeyLabel || 'API key'}`));
      })) : null;
    const form = h('form', { novalidate: true, class: 'connect-form' });
    if (choices) body.append(choices);
    body.append(form);

    let controls = [];
    function render() {
      say.clear();
      controls = [];
      if (reconnect) {
        form.replaceChildren(h('p', {}, `Sign in to the same ${app.name} account`,
          reconnect.externalAccount ? ` (${reconnect.externalAccount})` : '', ` to reconnect “${reconnect.label}”.`));
      } else {
        const label = field({ name: 'label', label: 'Connection name', required: choice === 'API_KEY',
          help: 'The name you will pick it by on nodes.', value: choice === 'API_KEY' ? '' : '' });
        controls.push(label);
        form.replaceChildren(label.wrapper);
        for (const f of app.fields || []) {
          // required where the chosen way of connecting needs it (Mailchimp's data center only for an API key)
          const required = f.requiredFor ? f.requiredFor.includes(choice) : f.required;
          const control = field({ name: 'fields.' + f.name, label: f.label, required, help: f.help, example: f.example });
          control.pattern = browserPattern(f.pattern);
          control.catalogField = f;
          controls.push(control);
          form.append(control.wrapper);
        }
        if (choice === 'API_KEY') {
          const key = field({ name: 'credentials.apiKey', label: app.apiKeyLabel || 'API key', type: 'password', required: true,
            autocomplete: 'new-password', help: 'Checked with ' + app.name + ' before it is saved. It is stored encrypted and never shown again.' });
          controls.push(key);
          form.append(key.wrapper);
        }
      }
      const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'connect-submit' },
        choice === 'OAUTH2' ? `Sign in with ${app.name}` : 'Save');
      const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => finish(null) }, 'Cancel');
      form.append(h('div', { class: 'actions' }, cancel, submit));
    }
    if (offered.length) render();

    function validate() {
      let first = null;
      for (const c of controls) {
        const value = c.input.value.trim();
        let error = '';
        const label = c.catalogField ? c.catalogField.label : c.input.labels[0].firstChild.textContent;
        if (!value && c.input.required) error = `${label} is required.`;
        else if (value && c.pattern && !c.pattern.test(value)) {
          error = `${label} is not valid` + (c.catalogField.example ? ` (for example: ${c.catalogField.example}).` : '.');
        } else if (c.name === 'label' && value.length > 100) error = 'Connection name must be at most 100 characters.';
        c.setError(error);
        if (error && !first) first = c;
      }
      if (first) first.input.focus();
      return !first;
    }

    function values() {
      const out = { fields: {} };
      for (const c of controls) {
        const value = c.input.value.trim();
        if (!value) continue;
        if (c.name.startsWith('fields.')) out.fields[c.name.slice(7)] = value;
        else if (c.name === 'label') out.label = value;
        else if (c.name === 'credentials.apiKey') out.apiKey = value;
      }
      return out;
    }

    /** An API error by the field it names, or for the whole form. */
    function showError(e) {
      const control = e.field && controls.find(c => c.name === e.field);
      if (control) {
        control.setError(e.message);
        control.input.focus();
        say.clear();
      } else {
        say.say(e.message, 'error');
      }
    }

    function setBusy(on, text) {
      busy = on;
      for (const el of form.querySelectorAll('input, button')) el.disabled = on;
      if (choices) for (const el of choices.querySelectorAll('input')) el.disabled = on;
      close.disabled = on && choice === 'API_KEY';
      if (text) say.say(text, 'info');
    }

    form.addEventListener('submit', async event => {
      event.preventDefault();
      if (busy || !validate()) return;
      const v = values();
      if (choice === 'API_KEY') {
        setBusy(true, `Checking the key with ${app.name}…`);
        try {
          const connection = await api('POST', scopePath + '/connections', { app: app.key, label: v.label,
            credentials: { apiKey: v.apiKey }, fields: Object.keys(v.fields).length ? v.fields : undefined });
          clearSecrets();
          finish({ connectionId: connection.id, connection, created: !connection.updatedAt || connection.createdAt === connection.updatedAt });
        } catch (e) {
          setBusy(false);
          showError(e);
        }
        return;
      }
      // OAuth 2.0: the popup opens on this click; the session is made with this page's nonce
      setBusy(true, `Waiting for you to sign in to ${app.name} in the new window…`);
      close.disabled = false;
      try {
        const answer = await consent({
          start: nonce => api('POST', scopePath + '/connect-sessions', { app: app.key, nonce,
            label: v.label, fields: Object.keys(v.fields).length ? v.fields : undefined,
            reconnectConnectionId: reconnect ? reconnect.id : undefined }),
          complete: (sessionId, completionCode) => api('POST', `${scopePath}/connect-sessions/${encodeURIComponent(sessionId)}/complete`,
            { completionCode }),
          onProgress: step => { if (step === 'completing') say.say('Connecting…', 'info'); },
        });
        finish(answer);
      } catch (e) {
        setBusy(false);
        if (e && e.field) showError(e);
        else say.say(endedInWords(e, app.name), 'error');
        const submit = form.querySelector('[type=submit]');
        if (submit) submit.focus();
      }
    });

    /** The key leaves the page with the request: the input is emptied, success or not the form is gone. */
    function clearSecrets() {
      for (const input of form.querySelectorAll('input[type=password]')) input.value = '';
    }
    dialog.addEventListener('close', clearSecrets);

    document.body.append(dialog);
    dialog.showModal();
    const first = (choices && choices.querySelector('input:checked')) || form.querySelector('input') || form.querySelector('[type=submit]');
    if (first) first.focus();
  });
}

/**
 * Mounts the authentication section of a node into `root`: banner, "Select an account", and
 * "Connect New Account" for workspace admins. Returns {setNode, refresh}.
 * `onSelect(connection)` fires when a person selects an account; `onShowConnection({app, id})`
 * when the banner points at a connection of another app (the builder opens that node or app).
 */
export function mountAuthSection(root, { workspaceId, app, kinds, onSelect = () => {}, onShowConnection } = {}) {
  let node = { workspaceId, app, kinds };
  let generation = 0;
  let selected = null;
  const banner = h('div', { class: 'banner', hidden: true, 'data-testid': 'reauth-banner' });
  const heading = h('h3', { id: 'select-account-' + (++uid) }, 'Select an account');
  const list = h('ul', { class: 'accounts', 'aria-labelledby': heading.id, 'data-testid': 'picker' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more accounts');
  const empty = h('p', { class: 'empty', hidden: true, 'data-testid': 'picker-empty' });
  const connectButton = h('button', { type: 'button', class: 'primary', id: 'connect', 'data-testid': 'connect' }, 'Connect New Account');
  const roleNote = h('p', { class: 'muted role-note', hidden: true, 'data-testid': 'role-note' });
  const status = h('p', { class: 'notice', hidden: true, 'data-testid': 'status', id: 'status' });
  const say = notice(status);
  root.replaceChildren(banner, heading, list, more, empty, h('div', { class: 'actions start' }, connectButton), roleNote, status);
  let nextToken = null;
  let me = null;
  let appInfo = null;

  connectButton.addEventListener('click', async () => {
    say.clear();
    const answer = await openConnect({ workspaceId: node.workspaceId, app: node.app, kinds: node.kinds, opener: connectButton });
    if (answer) {
      await refresh();
      const connection = answer.connection || [...list.children].map(li => li.connection).find(c => c && c.id === answer.connectionId);
      say.say(connection ? `Connected “${connection.label}”${connection.externalAccount ? ' (' + connection.externalAccount + ')' : ''}.`
        : 'Connected.', 'success');
      if (connection) select(connection.id);
    }
  });

  more.addEventListener('click', () => load(true));

  function select(id) {
    const input = list.querySelector(`input[value="${CSS.escape(id)}"]`);
    if (input) {
      input.checked = true;
      selected = id;
      onSelect(input.closest('li').connection);
    }
  }

  async function reconnect(connection, button) {
    say.clear();
    const answer = await openConnect({ workspaceId: node.workspaceId, app: connection.app, kinds: [connection.kind], opener: button,
      reconnect: { id: connection.id, kind: connection.kind, label: connection.label, externalAccount: connection.externalAccount } });
    if (answer) {
      await refresh();
      say.say(`Reconnected “${connection.label}”.`, 'success');
      const row = list.querySelector(`[data-connection-id="${CSS.escape(connection.id)}"] input`);
      if (row) row.focus();
    }
  }

  function row(connection, admin) {
    const inputId = 'account-' + connection.id;
    const input = h('input', { type: 'radio', name: 'account-' + heading.id, id: inputId, value: connection.id,
      checked: connection.id === selected, onchange: () => { selected = connection.id; onSelect(connection); } });
    const li = h('li', { id: 'connection-' + connection.id, class: 'account', dataset: { connectionId: connection.id, status: connection.status } },
      input,
      h('label', { for: inputId },
        h('span', { class: 'label' }, connection.label),
        h('span', { class: 'external', 'data-testid': 'external-account' },
          connection.externalAccount || (connection.kind === 'API_KEY' ? 'API key' : '')),
        connection.scope === 'ACCOUNT' ? h('span', { class: 'muted shared' }, 'Shared by your account') : null),
      statusBadge(connection.status));
    if (connection.status === 'ERROR') {
      if (admin && connection.scope === 'WORKSPACE' && CONNECTABLE.includes(connection.kind)) {
        const button = h('button', { type: 'button', class: 'secondary reconnect', 'aria-label': `Reconnect ${connection.label}` }, 'Reconnect');
        button.addEventListener('click', () => reconnect(connection, button));
        li.append(button);
      } else {
        li.append(h('span', { class: 'muted' }, 'Ask a workspace admin to reconnect it.'));
      }
    }
    li.connection = connection;
    return li;
  }

  async function load(append) {
    const mine = generation;
    const query = new URLSearchParams({ app: node.app });
    if (node.kinds && node.kinds.length) query.set('authKind', node.kinds.join(','));
    if (append && nextToken) query.set('nextToken', nextToken);
    const page = await api('GET', `/workspaces/${encodeURIComponent(node.workspaceId)}/connections?${query}`);
    if (mine !== generation) return;
    const admin = isWorkspaceAdmin(me, node.workspaceId);
    const rows = page.connections.map(c => row(c, admin));
    if (append) list.append(...rows); else list.replaceChildren(...rows);
    nextToken = page.nextToken || null;
    more.hidden = !nextToken;
    empty.hidden = list.children.length > 0;
    empty.textContent = `No ${appInfo ? appInfo.name : node.app} account is connected in this workspace yet.`
      + (admin ? ' Connect one to use it on this node.' : '');
  }

  async function loadBanner() {
    const mine = generation;
    const alerts = await api('GET', `/workspaces/${encodeURIComponent(node.workspaceId)}/alerts`);
    if (mine !== generation) return;
    if (!alerts.reauthorizationRequired) {
      banner.hidden = true;
      banner.replaceChildren();
      return;
    }
    const { byKey } = await catalog();
    banner.replaceChildren(
      h('p', { class: 'banner-title' }, h('strong', {}, sentence(alerts.message))),
      h('ul', {}, ...alerts.connections.map(c => {
        const appName = byKey.get(c.app) ? byKey.get(c.app).name : c.app;
        const link = h('a', { href: '#connection-' + c.id, dataset: { connectionId: c.id } }, `${c.label} (${appName})`);
        link.addEventListener('click', event => {
          event.preventDefault();
          if (c.app !== node.app && onShowConnection) onShowConnection({ app: c.app, id: c.id });
          else focusRow(c.id);
        });
        return h('li', {}, link, ' — reconnect it to resume the runs waiting on it.');
      })));
    banner.setAttribute('role', 'region');
    banner.setAttribute('aria-label', 'Connections that need attention');
    banner.hidden = false;
  }

  function focusRow(id) {
    const li = list.querySelector(`[data-connection-id="${CSS.escape(id)}"]`);
    if (!li) return false;
    li.scrollIntoView({ block: 'center' });
    (li.querySelector('button.reconnect') || li.querySelector('input')).focus();
    return true;
  }

  /** Loads the node's accounts and the banner again; what belonged to another node or workspace is cleared first. */
  async function refresh() {
    const mine = ++generation;
    try {
      me = me || await whoAmI();
      const { byKey } = await catalog();
      appInfo = byKey.get(node.app);
      const admin = isWorkspaceAdmin(me, node.workspaceId);
      connectButton.hidden = !admin || !appInfo;
      roleNote.hidden = admin;
      roleNote.textContent = admin ? '' : 'Only admins of this workspace can connect or reconnect accounts. You can select any account below.';
      if (!appInfo) throw new Error(`The app "${node.app}" is not in the catalog.`);
      await Promise.all([load(false), loadBanner()]);
      if (mine === generation) root.dataset.loaded = 'true';
    } catch (e) {
      if (mine !== generation) return;
      say.say(e.message, 'error');
      root.dataset.loaded = 'true';
    }
  }

  /** The node changed (another workspace, app or kinds): the previous list and messages go at once. */
  function setNode(next) {
    node = Object.assign({}, node, next);
    generation++;
    selected = null;
    delete root.dataset.loaded;
    list.replaceChildren();
    banner.hidden = true;
    empty.hidden = true;
    more.hidden = true;
    say.clear();
    return refresh();
  }

  refresh();
  return { setNode, refresh, focusRow, get node() { return node; } };
}
