// The dev stack's local tools page (LocalTools.java): the demo OAuth server's connections, and
// "Remove access at the provider" for the user each belongs to.
const rows = document.getElementById('rows');
const status = document.getElementById('status');
const empty = document.getElementById('empty');

const STATUS_WORDS = { ACTIVE: 'Active', ERROR: 'Needs reauthorization', PENDING: 'Pending' };

async function load() {
  const response = await fetch('/local/demo/connections');
  if (!response.ok) {
    status.textContent = `Could not list the demo connections (the dev server answered ${response.status}).`;
    return;
  }
  const { connections } = await response.json();
  rows.replaceChildren(...connections.map(row));
  empty.hidden = connections.length > 0;
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function row(c) {
  const tr = document.createElement('tr');
  tr.dataset.connectionId = c.connectionId;
  tr.dataset.status = c.status;
  const action = document.createElement('td');
  if (c.status === 'ACTIVE' && c.user) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'revoke-at-provider';
    button.textContent = `Remove ${c.user}'s access at the provider`;
    button.addEventListener('click', () => revoke(c.user, button));
    action.append(button);
  }
  tr.append(cell(c.workspaceId), cell(c.label), cell(c.user || '(unknown)'), cell(STATUS_WORDS[c.status] ?? c.status), action);
  return tr;
}

async function revoke(user, button) {
  button.disabled = true;
  status.textContent = '';
  status.textContent = `Removing ${user}'s access at the demo provider…`;
  const response = await fetch('/local/demo/revoke', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }),
  });
  if (!response.ok) {
    status.textContent = `The dev server refused: ${(await response.json()).message ?? response.status}.`;
    button.disabled = false;
    return;
  }
  const { connections } = await response.json();
  await load();
  const broken = connections.filter(c => c.status === 'ERROR').length;
  const waiting = connections.filter(c => c.status !== 'ERROR');
  status.textContent = `${user}'s access is removed at the demo provider. `
    + (broken === 1 ? '1 connection now needs reauthorization' : `${broken} connections now need reauthorization`)
    + (waiting.length ? `; ${waiting.length} not yet: the service refreshes a connection at most once every few seconds, `
      + 'and this one was refreshed or connected moments ago (press the button again shortly, or wait for its next refresh)' : '')
    + '. Open the builder page to see the banner and reconnect.';
}

load();
