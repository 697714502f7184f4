// The demo host: a builder node's authentication section. The workspaces and apps come from the
// API (the account's workspaces for account admins, the token's workspaces otherwise; the catalog).
import { api, whoAmI } from './api.js';
import { catalog, mountAuthSection } from './connect.js';
import { h, notice } from './ui.js';

const $ = id => document.getElementById(id);
const say = notice($('node-status'));
const GROUP_NAMES = { crm: 'CRM', marketing: 'Marketing', ecommerce: 'E-commerce', support: 'Support', accounting: 'Accounting',
  payments: 'Payments', productivity: 'Productivity', files: 'Files', communication: 'Communication', developer: 'Developer tools',
  ai: 'AI models', other: 'Other' };

async function workspaces(me) {
  if (me.accountRole === 'admin') {
    const answer = await api('GET', `/accounts/${encodeURIComponent(me.accountId)}/workspaces`);
    return answer.workspaces.map(w => ({ id: w.id, name: w.name }));
  }
  // a workspace member cannot list the account's workspaces: the ones their sign-in names
  return Object.keys(me.workspaceRoles).sort().map(id => ({ id, name: id }));
}

function option(value, text, selected) {
  return h('option', { value, selected: selected || undefined }, text);
}

async function start() {
  try {
    const me = await whoAmI('acme-admin@demo.test');
    const [spaces, { apps }] = await Promise.all([workspaces(me), catalog()]);
    if (!spaces.length) {
      say.say('You are not a member of any workspace yet. Ask an admin of your account to add you to one.', 'error');
      return;
    }
    const params = new URLSearchParams(location.search);
    const wantWorkspace = params.get('workspace');
    const wantApp = params.get('app') || 'demo';
    $('workspace').replaceChildren(...spaces.map(w => option(w.id, w.name === w.id ? w.id : `${w.name} (${w.id})`, w.id === wantWorkspace)));
    // the node's app: apps the builder creates connections for (OAuth 2.0 and API keys), by group
    const groups = new Map();
    for (const app of apps.filter(a => a.category === 'app' && a.credentialKinds.some(k => k === 'OAUTH2' || k === 'API_KEY'))
      .sort((a, b) => a.name.localeCompare(b.name))) {
      if (!groups.has(app.group)) groups.set(app.group, []);
      groups.get(app.group).push(app);
    }
    $('app').replaceChildren(...[...groups.keys()].sort().map(group => h('optgroup', { label: groups.get(group)[0].groupName || GROUP_NAMES[group] || group },
      ...groups.get(group).map(app => option(app.key, app.name, app.key === wantApp)))));
    const nodeOf = () => {
      const app = apps.find(a => a.key === $('app').value);
      return { workspaceId: $('workspace').value, app: app.key, kinds: app.credentialKinds.filter(k => k === 'OAUTH2' || k === 'API_KEY') };
    };
    const section = mountAuthSection($('auth-section'), Object.assign(nodeOf(), {
      onShowConnection: ({ app, id }) => {
        $('app').value = app;
        section.setNode(nodeOf()).then(() => section.focusRow(id));
      },
    }));
    $('workspace').addEventListener('change', () => section.setNode(nodeOf()));
    $('app').addEventListener('change', () => section.setNode(nodeOf()));
  } catch (e) {
    say.say(e.message, 'error');
  }
}

start();
