import { randomUUID } from 'node:crypto';
import { html, type SafeHtml } from '../../libs/html/index.js';
import type { FieldError, ProblemDocument } from '../../libs/http/index.js';
import type { PageRequest } from './web-pages.js';
import { CSRF_FIELD } from './session.js';
import { dayText, instantText, utcFromLocalInput } from './time.js';

export interface FieldSpec {
  /** The form field's name; also the API body's field it maps to unless the form's `toBody` says otherwise. */
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'select' | 'radio' | 'date' | 'datetime-local' | 'number' | 'email' | 'url';
  options?: readonly { value: string; label: string }[];
  required?: boolean;
  hint?: string;
  /** API field paths whose errors belong to this field (default: `[name]`); `rules.quorum*` also takes `rules.quorum.numerator`, `leftOut*` `leftOut[0].reason`. */
  apiFields?: readonly string[];
  /** The `step` attribute of a number or date-time input (`1` lets a deadline be given to the second). */
  step?: number;
  /** Radio choices as large touch targets, one per line (a vote on a phone). */
  large?: boolean;
  /** Optional fields that belong together ("Other rules than the default"): shown folded under this title until used. */
  group?: string;
}

/** Does the API field path `path` belong to the form field listing `apiField`? A trailing `*` takes every path under it. */
export function apiFieldMatches(apiField: string, path: string): boolean {
  if (!apiField.endsWith('*')) return apiField === path;
  const prefix = apiField.slice(0, -1);
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

function messagesFor(field: FieldSpec, messages: Map<string, string[]>): string[] {
  const names = field.apiFields ?? [field.name];
  return [...messages.entries()].filter(([path]) => names.some((name) => apiFieldMatches(name, path))).flatMap(([, list]) => list);
}

export type FormValues = Record<string, string>;

/** The posted form's values, without the CSRF token and the flow's own fields; repeated names keep the last. */
export function formValues(body: Record<string, unknown> | undefined): FormValues {
  const values: FormValues = {};
  for (const [name, value] of Object.entries(body ?? {})) {
    if (name === CSRF_FIELD || name === '_step' || name === '_key') continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof last === 'string') values[name] = last;
  }
  return values;
}

/** The messages of a 400 problem, by field path. */
export function fieldMessages(problem: ProblemDocument | undefined): Map<string, string[]> {
  const messages = new Map<string, string[]>();
  const errors = (problem?.errors ?? []) as FieldError[];
  for (const error of errors) messages.set(error.field, [...(messages.get(error.field) ?? []), ...error.messages]);
  return messages;
}

/** The form's fields, with their values and, under each label, what the API said is wrong with it. */
export function renderFields(fields: readonly FieldSpec[], values: FormValues, problem?: ProblemDocument): SafeHtml {
  const messages = fieldMessages(problem);
  const rendered = fields.map((field) => {
    const id = `field-${field.name}`;
    const errors = messagesFor(field, messages);
    const described = [field.hint ? `${id}-hint` : '', errors.length > 0 ? `${id}-error` : ''].filter(Boolean).join(' ');
    const common = html` id="${id}" name="${field.name}"${field.required ? html` required` : ''}${described ? html` aria-describedby="${described}"` : ''}${errors.length > 0 ? html` aria-invalid="true"` : ''}`;
    const value = values[field.name] ?? '';
    const hint = field.hint ? html`<p class="hint" id="${id}-hint">${field.hint}</p>` : '';
    const error = errors.length > 0 ? html`<p class="error" id="${id}-error">${errors.join('; ')}</p>` : '';
    if (field.type === 'radio') {
      return html`<fieldset class="field${field.large ? ' large' : ''}${errors.length > 0 ? ' invalid' : ''}"${described ? html` aria-describedby="${described}"` : ''}>
  <legend>${field.label}</legend>${hint}${error}
  ${(field.options ?? []).map((option, index) => html`<label class="choice"><input type="radio" name="${field.name}" id="${id}-${index}" value="${option.value}"${option.value === value ? html` checked` : ''}${field.required ? html` required` : ''}> ${option.label}</label>`)}
</fieldset>`;
    }
    const control =
      field.type === 'textarea'
        ? html`<textarea${common} rows="4">${value}</textarea>`
        : field.type === 'select'
          ? html`<select${common}><option value="">Choose…</option>${(field.options ?? []).map((option) => html`<option value="${option.value}"${option.value === value ? html` selected` : ''}>${option.label}</option>`)}</select>`
          : html`<input${common} type="${field.type ?? 'text'}"${field.step !== undefined ? html` step="${field.step}"` : ''} value="${value}">`;
    return html`<div class="field${errors.length > 0 ? ' invalid' : ''}"><label for="${id}">${field.label}</label>${hint}${error}${control}</div>`;
  });
  // Consecutive fields of one `group` go in a <details>, open when one of them holds a value or an error.
  const parts: SafeHtml[] = [];
  for (let i = 0; i < fields.length; ) {
    const group = fields[i]!.group;
    if (group === undefined) {
      parts.push(rendered[i]!);
      i += 1;
      continue;
    }
    let end = i;
    while (end < fields.length && fields[end]!.group === group) end += 1;
    const members = fields.slice(i, end);
    const open = members.some((field) => (values[field.name] ?? '') !== '' || messagesFor(field, messages).length > 0);
    parts.push(html`<details class="field-group"${open ? html` open` : ''}><summary>${group}</summary>${rendered.slice(i, end)}</details>`);
    i = end;
  }
  return html`${parts}`;
}

/** The problem at the top of a form: its detail, and a link to each field the API named. */
export function problemSummary(problem: ProblemDocument | undefined, fields: readonly FieldSpec[] = []): SafeHtml {
  if (problem === undefined) return html``;
  const clauses = Array.isArray(problem.clauses) ? problem.clauses.filter((clause): clause is string => typeof clause === 'string') : [];
  const linked = [...fieldMessages(problem).entries()].map(([path, messages]) => {
    const field = fields.find((f) => (f.apiFields ?? [f.name]).some((name) => apiFieldMatches(name, path)));
    return field ? html`<li><a href="#field-${field.name}">${field.label}</a>: ${messages.join('; ')}</li>` : html`<li>${path}: ${messages.join('; ')}</li>`;
  });
  return html`<div class="problem" role="alert" tabindex="-1" id="problem">
  <p><strong>${problem.title}</strong>: ${problem.detail}</p>
  ${clauses.length > 0 ? html`<p class="clauses">Terms of Reference: ${clauses.map((clause) => (clause.startsWith('ToR') ? clause : `ToR ${clause}`)).join(', ')}</p>` : ''}
  ${linked.length > 0 ? html`<ul>${linked}</ul>` : ''}
</div>`;
}

/**
 * A command's form, in three steps, all plain HTML forms (no JavaScript needed):
 *   1. edit: the fields (with the API's errors when it refused);
 *   2. review: what will be recorded, with "Confirm" and "Change" — nothing is appended before this;
 *   3. confirm: the API call, with an idempotency key fixed at review, so a double click or a reload records once.
 */
export interface CommandForm {
  title: string;
  /** The URL the form posts to (the same page). */
  action: string;
  intro?: SafeHtml;
  fields: readonly FieldSpec[];
  /** The API path the command posts to. */
  apiPath: string;
  /** The API body from the form's values (default: the values as they are, empty ones left out). */
  toBody?: (values: FormValues) => unknown;
  /** Where to go after the command was recorded, and what to say there. */
  done: (answer: unknown, values: FormValues) => { location: string; notice: string };
  /** The button that leads to the review ("Continue" by default). */
  submitLabel?: string;
  /** The statement above the review's "Confirm" button, saying what will be recorded. */
  confirmText?: string;
}

export function renderCommandForm(context: PageRequest, form: CommandForm, values: FormValues = {}, problem?: ProblemDocument): void {
  context.render(
    form.title,
    html`${problemSummary(problem, form.fields)}${form.intro ?? ''}
<form class="stacked" method="post" action="${form.action}" novalidate>
  <input type="hidden" name="${CSRF_FIELD}" value="${context.csrf}">
  <input type="hidden" name="_step" value="review">
  ${renderFields(form.fields, values, problem)}
  <div class="actions"><button type="submit">${form.submitLabel ?? 'Continue'}</button></div>
</form>`,
    { status: problem?.status ?? 200 },
  );
}

/** Handles a post of a command form: the review, or (after confirmation) the command itself. */
export async function postCommandForm(context: PageRequest, form: CommandForm, body: Record<string, unknown> | undefined): Promise<void> {
  const values = formValues(body);
  const step = body?._step;
  if (step === 'confirm') {
    const key = typeof body?._key === 'string' && /^[0-9a-f-]{36}$/.test(body._key) ? body._key : randomUUID();
    const answer = await context.api.post(form.apiPath, (form.toBody ?? withoutEmpty)(values), key);
    if (answer.ok) {
      const { location, notice } = form.done(answer.body, values);
      context.redirect(location, notice);
      return;
    }
    renderCommandForm(context, form, values, answer.problem);
    return;
  }
  if (step === 'edit') {
    renderCommandForm(context, form, values);
    return;
  }
  const shown = form.fields.filter((field) => (values[field.name] ?? '') !== '');
  // What the person chose, in the words the pages use: an option's label, a day or an instant as every page writes it.
  const label = (field: FieldSpec) => {
    const value = values[field.name]!;
    if (field.type === 'datetime-local') return instantText(utcFromLocalInput(value) ?? value);
    if (field.type === 'date') return dayText(value);
    return field.options?.find((option) => option.value === value)?.label ?? value;
  };
  context.render(
    `Check: ${form.title}`,
    html`<p>${form.confirmText ?? 'Nothing is recorded until you confirm. Once recorded, it is part of the permanent, hash-chained record and cannot be changed or removed.'}</p>
<dl class="facts">${shown.map((field) => html`<dt>${field.label}</dt><dd>${label(field)}</dd>`)}</dl>
<form method="post" action="${form.action}">
  <input type="hidden" name="${CSRF_FIELD}" value="${context.csrf}">
  <input type="hidden" name="_key" value="${randomUUID()}">
  ${Object.entries(values).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
  <div class="actions">
    <button type="submit" name="_step" value="confirm">Confirm and record</button>
    <button type="submit" name="_step" value="edit" class="secondary">Change</button>
  </div>
</form>`,
  );
}

function withoutEmpty(values: FormValues): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
}
