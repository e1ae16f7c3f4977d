// @ts-check
/* global document, HTMLElement, HTMLButtonElement */
/**
 * Form helpers every screen shares: labelled fields, the busy state of a request in flight,
 * and the server's complaints shown at the fields they name. A control's `name` is the API's
 * field path ("lang", "source.ref", "terms.1.kind"), so a 400's details find their control.
 */
import { ApiError } from './api.js';
import { h } from './dom.js';

/** @typedef {import('./dom.js').Attrs} Attrs */
/** A value, or a [value, label] pair. @typedef {string | readonly [string, string]} Option */

/** A message for the screen from anything a request threw. */
export function describe(/** @type {unknown} */ error) {
  return error instanceof ApiError ? error.describe() : String(error);
}

/** @param {string} id @param {string} label @param {string | null | undefined} value @param {Attrs} [extra] */
export function textField(id, label, value, extra = {}) {
  return h('div', null, h('label', { for: id }, label), h('input', { id, name: id, type: 'text', value: value ?? '', ...extra }));
}

/** @param {string} id @param {string} label @param {string | null | undefined} value @param {Attrs} [extra] */
export function textareaField(id, label, value, extra = {}) {
  return h('div', null, h('label', { for: id }, label), h('textarea', { id, name: id, rows: 3, ...extra }, value ?? ''));
}

/** A select; the option '' reads "any" (filters). @param {string} id @param {string} label @param {readonly Option[]} options @param {string} value @param {Attrs} [extra] */
export function selectField(id, label, options, value, extra = {}) {
  return h('div', null, h('label', { for: id }, label), h('select', { id, name: id, ...extra }, selectOptions(options, value)));
}

/** @param {readonly Option[]} options @param {string} value */
export function selectOptions(options, value) {
  return options.map((o) => {
    const [v, text] = typeof o === 'string' ? [o, o || 'any'] : o;
    return h('option', { value: v, selected: v === value }, text);
  });
}

/** @param {string} id @param {string} label @param {boolean | undefined} checked @param {Attrs} [extra] */
export function checkField(id, label, checked, extra = {}) {
  return h('div', { class: 'check' }, h('input', { id, name: id, type: 'checkbox', checked: Boolean(checked), ...extra }), h('label', { for: id }, label));
}

/** The form's alert: the whole error message, focused when no field is named. */
export function alertBox(/** @type {string} */ id) {
  return h('p', { class: 'error', role: 'alert', id, tabindex: '-1' });
}

/**
 * Runs `work` with `target` busy: marked aria-busy, its enabled buttons (or itself, if it is
 * one) disabled, and a second call while busy ignored. Focus left on a disabled button comes
 * back to it.
 * @param {HTMLElement} target @param {() => Promise<void>} work
 */
export async function busy(target, work) {
  if (target.getAttribute('aria-busy') === 'true') return;
  const buttons = target instanceof HTMLButtonElement ? [target] : [...target.querySelectorAll('button')].filter((b) => !b.disabled);
  const focused = document.activeElement;
  target.setAttribute('aria-busy', 'true');
  for (const b of buttons) b.disabled = true;
  try {
    await work();
  } finally {
    target.removeAttribute('aria-busy');
    for (const b of buttons) b.disabled = false;
    if (focused instanceof HTMLElement && focused.isConnected && document.activeElement === document.body) focused.focus();
  }
}

/**
 * @typedef {object} ProblemOptions
 * @property {HTMLElement} alert where the message goes
 * @property {(field: string) => HTMLElement | null} [controlFor] the control a field path names (default: by name, see namedControl)
 * @property {HTMLElement} [focusOnError] focused when no field is named (default: the alert)
 */

/**
 * Submitting `form` runs `action` while the form is busy; what it throws is shown in the alert
 * and at the fields it names.
 * @param {HTMLFormElement} form @param {() => Promise<void>} action @param {ProblemOptions} options
 */
export function onSubmit(form, action, options) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form, async () => {
      clearProblems(form, options.alert);
      try {
        await action();
      } catch (error) {
        showProblems(form, error, options);
      }
    });
  });
}

/**
 * The control whose name is the field path, or the one of its nearest parent path: "terms.0.terms.2"
 * finds "terms.0.terms".
 * @param {HTMLFormElement} form @param {string} field
 * @returns {HTMLElement | null}
 */
export function namedControl(form, field) {
  const parts = field.split('.');
  for (let n = parts.length; n > 0; n -= 1) {
    const found = form.elements.namedItem(parts.slice(0, n).join('.'));
    if (found instanceof HTMLElement) return found;
  }
  return null;
}

/** @param {HTMLFormElement} form @param {unknown} error @param {ProblemOptions} options */
export function showProblems(form, error, { alert, controlFor = (field) => namedControl(form, field), focusOnError }) {
  alert.textContent = describe(error);
  /** @type {HTMLElement | null} */
  let first = null;
  for (const { field, message } of error instanceof ApiError ? error.problems() : []) {
    const control = controlFor(field);
    if (!control) continue;
    markInvalid(control, message);
    first ??= control;
  }
  (first ?? focusOnError ?? alert).focus();
}

/** The note under the control says what is wrong, and the control points to it. @param {HTMLElement} control @param {string} message */
function markInvalid(control, message) {
  const id = `${control.id}-error`;
  let note = control.id ? document.getElementById(id) : null;
  if (control.id && !note) {
    note = h('p', { class: 'error field-error', id });
    control.after(note);
  }
  if (note) note.textContent = note.textContent ? `${note.textContent}; ${message}` : message;
  if (control.getAttribute('aria-invalid') === 'true') return;
  control.dataset.describedBy = control.getAttribute('aria-describedby') ?? '';
  control.setAttribute('aria-invalid', 'true');
  if (note) control.setAttribute('aria-describedby', [control.dataset.describedBy, id].filter(Boolean).join(' '));
}

/** @param {HTMLFormElement} form @param {HTMLElement} alert */
export function clearProblems(form, alert) {
  alert.textContent = '';
  for (const note of form.querySelectorAll('.field-error')) note.remove();
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    if (!(control instanceof HTMLElement)) continue;
    const before = control.dataset.describedBy;
    if (before) control.setAttribute('aria-describedby', before);
    else control.removeAttribute('aria-describedby');
    control.removeAttribute('aria-invalid');
    delete control.dataset.describedBy;
  }
}
