import type { Ctx } from './context';
import { attrs, html, type Html } from './html';

// Form controls that meet WCAG 2.1 AA: every control has a <label> (or a fieldset legend), a hint
// and an error are tied to it with aria-describedby, an invalid control says so (aria-invalid),
// and a summary at the top of the form links to each field in error.

export type FieldErrors = Record<string, string>;

export const fieldId = (name: string) => 'f-' + name.replace(/[^A-Za-z0-9_-]/g, '-');

function describedBy(id: string, hint?: string, error?: string): string | null {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : null;
}

function hintAndError(ctx: Ctx, id: string, hint?: string, error?: string): Html {
  return html`${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}${error ? html`<p class="field-error" id="${id}-error"><span class="visually-hidden">${ctx.t.errorPrefix}</span>${error}</p>` : ''}`;
}

export function errorSummary(ctx: Ctx, errors: FieldErrors, general: string[] = []): Html {
  const entries = Object.entries(errors);
  if (!entries.length && !general.length) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <h2 id="error-summary-title">${ctx.t.thereIsAProblem}</h2>
    <ul>
      ${general.map((g) => html`<li>${g}</li>`)}${entries.map(([name, msg]) => html`<li><a href="#${fieldId(name)}">${msg}</a></li>`)}
    </ul>
  </div>`;
}

export interface FieldOptions {
  name: string;
  label: string;
  value?: string;
  hint?: string;
  error?: string;
  required?: boolean;
  multiline?: boolean;
  rows?: number;
  type?: string;
  maxlength?: number;
  autocomplete?: string;
  inputmode?: string;
}

export function textField(ctx: Ctx, f: FieldOptions): Html {
  const id = fieldId(f.name);
  const common = {
    id,
    name: f.name,
    required: f.required ?? false,
    maxlength: f.maxlength,
    'aria-describedby': describedBy(id, f.hint, f.error),
    'aria-invalid': f.error ? 'true' : null,
    autocomplete: f.autocomplete,
    inputmode: f.inputmode,
  };
  const control = f.multiline
    ? html`<textarea ${attrs({ ...common, rows: f.rows ?? 6 })}>${f.value ?? ''}</textarea>`
    : html`<input ${attrs({ ...common, type: f.type ?? 'text', value: f.value ?? '' })} />`;
  return html`<div class="field${f.error ? ' field-invalid' : ''}">
    <label for="${id}">${f.label}${f.required ? '' : html` <span class="optional">${ctx.t.optional}</span>`}</label
    >${hintAndError(ctx, id, f.hint, f.error)}${control}
  </div>`;
}

export function selectField(ctx: Ctx, f: FieldOptions & { options: Array<{ value: string; label: string }> }): Html {
  const id = fieldId(f.name);
  return html`<div class="field${f.error ? ' field-invalid' : ''}">
    <label for="${id}">${f.label}${f.required ? '' : html` <span class="optional">${ctx.t.optional}</span>`}</label
    >${hintAndError(ctx, id, f.hint, f.error)}
    <select
      ${attrs({ id, name: f.name, required: f.required ?? false, 'aria-describedby': describedBy(id, f.hint, f.error), 'aria-invalid': f.error ? 'true' : null })}
    >
      ${f.options.map((o) => html`<option ${attrs({ value: o.value, selected: o.value === (f.value ?? '') })}>${o.label}</option>`)}
    </select>
  </div>`;
}

/** Radio buttons or checkboxes in a fieldset whose legend labels the group. */
export function choiceGroup(
  ctx: Ctx,
  f: {
    name: string;
    legend: string;
    type: 'radio' | 'checkbox';
    options: Array<{ value: string; label: string }>;
    checked: string[];
    hint?: string;
    error?: string;
    required?: boolean;
  },
): Html {
  const id = fieldId(f.name);
  return html`<fieldset
    class="field${f.error ? ' field-invalid' : ''}"
    ${attrs({ id, 'aria-describedby': describedBy(id, f.hint, f.error) })}
  >
    <legend>${f.legend}</legend>
    ${hintAndError(ctx, id, f.hint, f.error)}
    ${f.options.map((o, i) => {
      const oid = `${id}-${i}`;
      return html`<div class="choice">
        <input
          ${attrs({ type: f.type, id: oid, name: f.name, value: o.value, checked: f.checked.includes(o.value), required: f.type === 'radio' && (f.required ?? false) })}
        />
        <label for="${oid}">${o.label}</label>
      </div>`;
    })}
  </fieldset>`;
}

export function checkbox(
  f: { name: string; label: string; checked: boolean; hint?: string; error?: string },
  ctx: Ctx,
): Html {
  const id = fieldId(f.name);
  return html`<div class="field choice${f.error ? ' field-invalid' : ''}">
    <input
      ${attrs({ type: 'checkbox', id, name: f.name, value: 'on', checked: f.checked, 'aria-describedby': describedBy(id, f.hint, f.error), 'aria-invalid': f.error ? 'true' : null })}
    />
    <label for="${id}">${f.label}</label>${hintAndError(ctx, id, f.hint, f.error)}
  </div>`;
}

/** Text PostgreSQL can store as sent: no NUL, no unpaired surrogate (a browser sends neither when typing). */
const storable = (s: string) => s.replace(/\u0000/g, '').replace(/\p{Cs}/gu, '\uFFFD');

/** A single value from a urlencoded body (the last one when a name repeats). */
export function formValue(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(v)) return storable(String(v[v.length - 1] ?? ''));
  return typeof v === 'string' ? storable(v) : '';
}

export function formValues(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(v)) return v.map((x) => storable(String(x)));
  return typeof v === 'string' ? [storable(v)] : [];
}
