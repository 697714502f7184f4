// Small DOM helpers shared by the pages: elements without innerHTML (text is always text), human
// times, status words, and a live region for what just happened.

/** h('button', {type: 'button', onclick}, 'Save'): an element; `on…` props are listeners, others attributes. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  el.append(...children.flat().filter(c => c !== null && c !== undefined && c !== false));
  return el;
}

const STATUS_WORDS = {
  ACTIVE: 'Active',
  ERROR: 'Needs reauthorization',
  PENDING: 'Not finished',
  REVOKED: 'Revoked',
};

/** A status badge: words, not codes; the raw status stays in data-status for scripts and tests. */
export function statusBadge(status) {
  return h('span', { class: 'status status-' + String(status).toLowerCase(), dataset: { status } }, STATUS_WORDS[status] || status);
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const ABSOLUTE = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** "3 minutes ago", "yesterday", "Dec 1, 2026, 9:14 AM" beyond a week; a <time> with the exact instant. */
export function humanTime(iso, now = Date.now()) {
  if (!iso) return h('span', { class: 'muted' }, 'Never');
  const at = new Date(iso);
  const seconds = Math.round((at.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  let text;
  if (abs < 45) text = 'just now';
  else if (abs < 3600) text = RELATIVE.format(Math.round(seconds / 60), 'minute');
  else if (abs < 86400) text = RELATIVE.format(Math.round(seconds / 3600), 'hour');
  else if (abs < 7 * 86400) text = RELATIVE.format(Math.round(seconds / 86400), 'day');
  else text = ABSOLUTE.format(at);
  return h('time', { datetime: at.toISOString(), title: ABSOLUTE.format(at) }, text);
}

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export const usd = amount => USD.format(amount || 0);

/** A status line (role=status): what just happened, or an error (role=alert) in words. */
export function notice(el) {
  return {
    say(text, kind = 'info') {
      el.className = 'notice notice-' + kind;
      el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
      el.replaceChildren(...[].concat(text));
      el.hidden = !text;
    },
    clear() {
      el.replaceChildren();
      el.hidden = true;
    },
  };
}

/**
 * Asks for a yes/no in a modal <dialog> (keyboard: focus starts on Cancel, Escape cancels).
 * Resolves true only for the confirming button.
 */
export function confirmDialog({ title, body, confirm, danger = true }) {
  return new Promise(resolve => {
    const titleId = 'confirm-title-' + Math.random().toString(36).slice(2);
    const cancel = h('button', { type: 'button', class: 'secondary', onclick: () => done(false) }, 'Cancel');
    const ok = h('button', { type: 'button', class: danger ? 'danger' : 'primary', onclick: () => done(true) }, confirm);
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId, 'data-testid': 'confirm-dialog' },
      h('h2', { id: titleId }, title), h('p', {}, body), h('div', { class: 'actions' }, cancel, ok));
    let answered = false;
    function done(answer) {
      if (answered) return;
      answered = true;
      dialog.close();
      dialog.remove();
      resolve(answer);
    }
    dialog.addEventListener('cancel', () => done(false));
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
