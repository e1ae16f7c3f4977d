// @ts-check
/* global HTMLInputElement */
/**
 * People and access (admins): every user with roles and state; add a person; for one person,
 * change roles, reset the password, disable or enable, and lift the login throttle (unlock);
 * every API key of everyone, each revocable. Roles come from GET /api/meta. The server keeps the
 * rules (the last active admin stays; a reset, a role change or disabling ends sessions and
 * revokes keys) and audits each change.
 */
import { api, get, post } from '../../lib/api.js';
import { fmtDate, h, render, say, scrollTable } from '../../lib/dom.js';
import { alertBox, busy, describe, onSubmit, textField } from '../../lib/forms.js';
import { loadMeta } from '../../lib/meta.js';
import { apiKeyTable } from './key-table.js';

/** @typedef {import('../../../../api-types').Account} Account */
/** @typedef {import('../../../../api-types').ApiKeyView} ApiKeyView */

/**
 * A fieldset of role checkboxes, named `roles` (the API's field) so a refusal finds it.
 * @param {string} prefix @param {readonly string[]} roles @param {readonly string[]} checked
 */
function roleBoxes(prefix, roles, checked) {
  return h('fieldset', { id: `${prefix}-roles`, name: 'roles' },
    h('legend', null, 'Roles'),
    h('div', { class: 'checks' }, roles.map((role) => h('div', { class: 'check' },
      h('input', { id: `${prefix}-role-${role}`, type: 'checkbox', value: role, checked: checked.includes(role) }),
      h('label', { for: `${prefix}-role-${role}` }, role)))));
}

/** The roles ticked in a fieldset of roleBoxes. @param {HTMLElement} fieldset */
const tickedRoles = (fieldset) => [...fieldset.querySelectorAll('input[type="checkbox"]')].flatMap((box) => (box instanceof HTMLInputElement && box.checked ? [box.value] : []));

/** @param {HTMLFormElement} form @param {string} name */
const input = (form, name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name));

export async function usersScreen() {
  const meta = await loadMeta();
  const people = h('section', { 'aria-labelledby': 'people-title' });
  const keys = h('section', { 'aria-labelledby': 'all-keys-title' });
  const manage = h('section', { id: 'manage', class: 'panel', hidden: true, tabindex: '-1', 'aria-labelledby': 'manage-title' });
  /** @type {string | null} */
  let managing = null;

  const loadKeys = async () => {
    const { items } = /** @type {{ items: ApiKeyView[] }} */ (await get('/api/keys'));
    keys.replaceChildren(h('h2', { id: 'all-keys-title' }, 'API keys of everyone'),
      apiKeyTable({ id: 'all-keys', label: 'API keys of everyone', keys: items, showOwner: true, onRevoked: loadKeys }));
  };
  const loadPeople = async () => {
    const { items } = /** @type {{ items: Account[] }} */ (await get('/api/users'));
    const body = h('tbody', null, items.map((user) => h('tr', { dataset: { user: user.id } },
      h('td', null, user.username),
      h('td', null, user.displayName),
      h('td', null, user.roles.join(', ')),
      h('td', null, user.disabled ? 'disabled' : 'active'),
      h('td', null, fmtDate(user.createdAt)),
      h('td', null, h('button', { type: 'button', class: 'secondary', 'aria-label': `Manage ${user.username}`, onclick: () => showManage(user) }, 'Manage')))));
    people.replaceChildren(h('h2', { id: 'people-title' }, 'People'),
      scrollTable({ id: 'users-table', label: 'People', columns: ['Username', 'Name', 'Roles', 'State', 'Added', 'Action'], body }));
    const current = items.find((u) => u.id === managing);
    if (current) showManage(current, false);
  };
  /** Any change may revoke keys (a reset, new roles, disabling): both lists are read again. */
  const reloadAll = async () => {
    await Promise.all([loadPeople(), loadKeys()]);
  };

  /** The panel of one person's actions. @param {Account} user @param {boolean} [focus] */
  function showManage(user, focus = true) {
    managing = user.id;
    const url = `/api/users/${encodeURIComponent(user.id)}`;
    /** @param {unknown} body @param {string} done */
    const patch = async (body, done) => {
      await api('PATCH', url, body);
      say(done, 'ok');
      await reloadAll();
    };

    const rolesAlert = alertBox('roles-error');
    const boxes = roleBoxes('manage', meta.roles, user.roles);
    const rolesForm = h('form', { id: 'roles-form' }, boxes, h('p', null, h('button', { type: 'submit' }, 'Save roles')), rolesAlert);
    onSubmit(rolesForm, () => patch({ roles: tickedRoles(boxes) }, `The roles of ${user.username} are saved; their sessions and API keys have ended.`), { alert: rolesAlert, focusOnError: boxes });

    const passwordAlert = alertBox('password-error');
    const passwordForm = h('form', { id: 'password-form' },
      h('div', null, h('label', { for: 'reset-password' }, 'New password'),
        h('p', { class: 'muted', id: 'reset-password-hint' }, '12 characters or more; not a common password, not the username. Their sessions and API keys end.'),
        h('input', { id: 'reset-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 12, 'aria-describedby': 'reset-password-hint' })),
      h('p', null, h('button', { type: 'submit' }, 'Reset the password')), passwordAlert);
    onSubmit(passwordForm, async () => {
      await patch({ password: input(passwordForm, 'password').value }, `The password of ${user.username} is reset.`);
      input(passwordForm, 'password').value = '';
    }, { alert: passwordAlert });

    const stateAlert = alertBox('state-error');
    const toggle = h('button', { type: 'button', id: 'toggle-disabled' }, user.disabled ? 'Enable the account' : 'Disable the account');
    toggle.addEventListener('click', () => busy(toggle, async () => {
      stateAlert.textContent = '';
      try {
        await patch({ disabled: !user.disabled }, `${user.username} is ${user.disabled ? 'enabled' : 'disabled'}.`);
      } catch (error) {
        stateAlert.textContent = describe(error);
        stateAlert.focus();
      }
    }));
    const unlock = h('button', { type: 'button', id: 'unlock', class: 'secondary' }, 'Unlock sign-in');
    unlock.addEventListener('click', () => busy(unlock, async () => {
      stateAlert.textContent = '';
      try {
        const { cleared } = /** @type {{ cleared: number }} */ (await post(`${url}/unlock`));
        say(cleared ? `${user.username} can sign in again at once (${cleared} throttled address${cleared === 1 ? '' : 'es'} forgotten).` : `${user.username} had no failed sign-ins to forget.`, 'ok');
      } catch (error) {
        stateAlert.textContent = describe(error);
        stateAlert.focus();
      }
    }));

    manage.replaceChildren(
      h('h2', { id: 'manage-title' }, `Manage ${user.username}`),
      h('p', { class: 'muted' }, `${user.displayName} · ${user.disabled ? 'disabled' : 'active'} · roles: ${user.roles.join(', ')}`),
      rolesForm,
      passwordForm,
      h('h3', null, 'Account'),
      h('p', { class: 'muted' }, 'Disabling ends their sessions and revokes their API keys; enabling does not bring the keys back. After failed sign-ins, sign-in from that address slows down (it never locks); unlocking lets them in again at once.'),
      h('p', { class: 'actions' }, toggle, ' ', unlock),
      stateAlert,
      h('p', null, h('button', { type: 'button', class: 'secondary', onclick: () => { managing = null; manage.hidden = true; } }, 'Close')));
    manage.hidden = false;
    if (focus) manage.focus();
  }

  const createAlert = alertBox('create-error');
  const createRoles = roleBoxes('new', meta.roles, []);
  const createForm = h('form', { id: 'create-user', class: 'panel' },
    h('h2', null, 'Add a person'),
    h('div', { class: 'grid' },
      textField('username', 'Username', '', { required: true, autocomplete: 'off', 'aria-describedby': 'username-hint' }),
      textField('displayName', 'Display name (optional)', '', { autocomplete: 'off' }),
      h('div', null, h('label', { for: 'new-password' }, 'First password'), h('input', { id: 'new-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 12 }))),
    h('p', { class: 'muted', id: 'username-hint' }, 'Username: letters, digits, ".", "_" or "-". Password: 12 characters or more; tell it to them in person.'),
    createRoles,
    h('p', null, h('button', { type: 'submit' }, 'Add the person')),
    createAlert);
  onSubmit(createForm, async () => {
    const displayName = input(createForm, 'displayName').value.trim();
    const { user } = /** @type {{ user: Account }} */ (await post('/api/users', {
      username: input(createForm, 'username').value, password: input(createForm, 'password').value, roles: tickedRoles(createRoles), ...(displayName ? { displayName } : {}),
    }));
    createForm.reset();
    say(`${user.username} is added with the roles ${user.roles.join(', ')}.`, 'ok');
    await loadPeople();
  }, { alert: createAlert, focusOnError: createAlert });

  await reloadAll();
  render(h('h1', null, 'People and access'), createForm, people, manage, keys);
}
