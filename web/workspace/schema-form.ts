import type { z } from 'zod';
import { label, type Ctx } from '../context';
import {
  checkbox,
  choiceGroup,
  fieldId,
  formValue,
  formValues,
  selectField,
  textField,
  type FieldErrors,
} from '../forms';
import { html, type Html } from '../html';

// Forms generated from the zod schemas of domain/actions.ts (as the API accepts them), so a form
// asks exactly what the action needs. Field names are the payload's dotted paths (array rows by
// index), so a validation issue's path names the field it belongs to. Reading the submitted form
// turns it back into the payload; the API schema then validates it as it would a JSON body.

export type Node =
  | {
      kind: 'text' | 'textarea' | 'number' | 'boolean' | 'datetime' | 'date' | 'url' | 'lines';
      path: string;
      required: boolean;
    }
  | { kind: 'enum' | 'multi'; path: string; required: boolean; options: string[] }
  | { kind: 'duration'; path: string; required: boolean; units: string[] }
  | { kind: 'object'; path: string; required: boolean; children: Node[] }
  | { kind: 'rows'; path: string; required: boolean; rows: number; children: Node[] };

/** Per-path adjustments: a field the page fills itself, a select of known values, how many rows. */
export interface FormHints {
  hidden?: Record<string, string>;
  choices?: Record<string, Array<{ value: string; label: string }>>;
  rows?: Record<string, number>;
  values?: Record<string, string>;
}

type Def = { type: string; [k: string]: unknown };
const defOf = (s: unknown) => (s as { _zod: { def: Def } })._zod.def;
const norm = (path: string) => path.replace(/\.\d+(?=\.|$)/g, '');
const join = (a: string, b: string | number) => (a ? `${a}.${b}` : String(b));

export function describe(schema: unknown, path = '', required = true, hints: FormHints = {}): Node {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return describe(def.innerType, path, false, hints);
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      return {
        kind: 'object',
        path,
        required,
        children: Object.entries(shape).map(([k, v]) => describe(v, join(path, k), true, hints)),
      };
    }
    case 'array': {
      const el = defOf(def.element);
      if (el.type === 'object')
        return {
          kind: 'rows',
          path,
          required,
          rows: hints.rows?.[norm(path)] ?? 3,
          children: Object.entries(el.shape as Record<string, unknown>).map(([k, v]) =>
            describe(v, `${path}.#.${k}`, true, hints),
          ),
        };
      if (el.type === 'enum') return { kind: 'multi', path, required, options: Object.keys(el.entries as object) };
      return { kind: 'lines', path, required };
    }
    case 'union': {
      const options = (def.options as unknown[]).map(defOf);
      if (options.every((o) => o.type === 'object' && Object.keys(o.shape as object).length === 1))
        return { kind: 'duration', path, required, units: options.map((o) => Object.keys(o.shape as object)[0]) };
      return { kind: 'textarea', path, required };
    }
    case 'enum':
      return { kind: 'enum', path, required, options: Object.keys(def.entries as object) };
    case 'number':
      return { kind: 'number', path, required };
    case 'boolean':
      return { kind: 'boolean', path, required };
    case 'string': {
      const format = def.format as string | undefined;
      if (format === 'datetime') return { kind: 'datetime', path, required };
      if (format === 'date') return { kind: 'date', path, required };
      if (format === 'url') return { kind: 'url', path, required };
      const max = (schema as { maxLength?: number | null }).maxLength ?? 0;
      return { kind: max > 500 ? 'textarea' : 'text', path, required };
    }
    default:
      return { kind: 'textarea', path, required };
  }
}

const fieldLabel = (ctx: Ctx, path: string) => {
  const key = norm(path.replace(/\.#/g, ''));
  const last = key.split('.').pop() ?? key;
  return label(ctx.t.fieldLabels, key) !== key ? label(ctx.t.fieldLabels, key) : label(ctx.t.fieldLabels, last);
};

/** A datetime-local value shown in Beijing time from an ISO instant. */
const localValue = (iso: string) => (iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16) : '');

export function renderNode(
  ctx: Ctx,
  n: Node,
  values: Record<string, string>,
  errors: FieldErrors,
  hints: FormHints,
  rendered: Set<string>,
): Html {
  const { t } = ctx;
  const name = n.path;
  rendered.add(name);
  if (hints.hidden && norm(name) in hints.hidden)
    return html`<input type="hidden" name="${name}" value="${hints.hidden[norm(name)]}" />`;
  const common = {
    name,
    label: fieldLabel(ctx, name),
    value: values[name] ?? hints.values?.[norm(name)] ?? '',
    error: errors[name],
    required: n.required,
  };
  const choices = hints.choices?.[norm(name)];
  switch (n.kind) {
    case 'object':
      if (!n.path) return html`${n.children.map((c) => renderNode(ctx, c, values, errors, hints, rendered))}`;
      return html`<fieldset id="${fieldId(name)}">
        <legend>${common.label}</legend>
        ${errors[name] ? html`<p class="field-error">${errors[name]}</p>` : ''}${n.children.map((c) => renderNode(ctx, c, values, errors, hints, rendered))}
      </fieldset>`;
    case 'rows': {
      const rows = Array.from(
        { length: n.rows },
        (_v, i) =>
          html`<fieldset>
            <legend>${common.label} ${i + 1}</legend>
            ${n.children.map((c) => renderNode(ctx, { ...c, path: c.path.replace(`${n.path}.#.`, `${n.path}.${i}.`), required: false } as Node, values, errors, hints, rendered))}
          </fieldset>`,
      );
      return html`<fieldset id="${fieldId(name)}">
        <legend>${common.label}</legend>
        <p class="hint">${t.rowsHint}</p>
        ${errors[name] ? html`<p class="field-error" id="${fieldId(name)}-error">${errors[name]}</p>` : ''}${rows}
      </fieldset>`;
    }
    case 'enum':
      return selectField(ctx, {
        ...common,
        options: [
          { value: '', label: t.choose },
          ...(choices ?? n.options.map((o) => ({ value: o, label: label(t.enums, o) }))),
        ],
      });
    case 'multi':
      return choiceGroup(ctx, {
        name,
        legend: common.label,
        type: 'checkbox',
        options: n.options.map((o) => ({ value: o, label: label(t.enums, o) })),
        checked: (values[name] ?? '').split('\n').filter(Boolean),
        error: errors[name],
      });
    case 'boolean':
      return checkbox({ name, label: common.label, checked: values[name] === 'on', error: errors[name] }, ctx);
    case 'duration':
      return html`<fieldset id="${fieldId(name)}">
        <legend>${common.label} ${n.required ? '' : html`<span class="optional">${t.optional}</span>`}</legend>
        <p class="hint">${t.durationHint}</p>
        ${errors[name] ? html`<p class="field-error">${errors[name]}</p>` : ''}
        ${n.units.map((u) => textField(ctx, { name: `${name}.${u}`, label: label(t.enums, u), value: values[`${name}.${u}`] ?? '', type: 'number', error: errors[`${name}.${u}`] }))}
      </fieldset>`;
    case 'lines':
      return textField(ctx, { ...common, multiline: true, rows: 4, hint: t.oneItemPerLine });
    case 'datetime':
      return textField(ctx, {
        ...common,
        type: 'datetime-local',
        hint: t.beijingTimeHint,
        value: values[name] ?? localValue(hints.values?.[norm(name)] ?? ''),
      });
    default:
      if (choices) return selectField(ctx, { ...common, options: [{ value: '', label: t.choose }, ...choices] });
      return textField(ctx, {
        ...common,
        multiline: n.kind === 'textarea',
        type: n.kind === 'number' ? 'number' : n.kind === 'date' ? 'date' : n.kind === 'url' ? 'url' : 'text',
      });
  }
}

/** The submitted values by field name, for re-display after an error (lists joined by newline). */
export function echo(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys((body ?? {}) as object)) out[k] = formValues(body, k).join('\n');
  return out;
}

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === false ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isEmpty));

/** Reads the payload back from a urlencoded body; empty optional fields are left out. */
export function readNode(n: Node, body: unknown): unknown {
  const raw = formValue(body, n.path).trim();
  switch (n.kind) {
    case 'object': {
      const o = Object.fromEntries(
        n.children.map((c) => [c.path.split('.').pop()!, readNode(c, body)]).filter(([, v]) => v !== undefined),
      );
      return !n.required && isEmpty(o) ? undefined : o;
    }
    case 'rows': {
      const rows: unknown[] = [];
      for (let i = 0; i < 200; i++) {
        const children = n.children.map(
          (c) => ({ ...c, path: c.path.replace(`${n.path}.#.`, `${n.path}.${i}.`) }) as Node,
        );
        if (
          !children.some((c) =>
            Object.keys((body ?? {}) as object).some((k) => k === c.path || k.startsWith(`${c.path}.`)),
          )
        )
          break;
        const row = Object.fromEntries(
          children.map((c) => [c.path.split('.').pop()!, readNode(c, body)]).filter(([, v]) => v !== undefined),
        );
        if (!isEmpty(row)) rows.push(row);
      }
      return !n.required && !rows.length ? undefined : rows;
    }
    case 'multi': {
      const v = formValues(body, n.path).filter(Boolean);
      return !n.required && !v.length ? undefined : v;
    }
    case 'boolean':
      return raw === 'on' || raw === 'true';
    case 'number':
      return raw === '' ? undefined : Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case 'duration': {
      const unit = n.units.find((u) => formValue(body, `${n.path}.${u}`).trim() !== '');
      return unit ? { [unit]: Number(formValue(body, `${n.path}.${unit}`)) } : undefined;
    }
    case 'lines': {
      const v = raw
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean);
      return !n.required && !v.length ? undefined : v;
    }
    case 'datetime':
      if (raw === '') return undefined;
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(raw) ? `${raw}:00+08:00` : raw;
    default:
      // A required text may be empty where its schema allows it (the dissent field of minutes).
      return raw === '' && !n.required ? undefined : raw;
  }
}

/** Zod issues as field errors: each on its own field when rendered, else on the closest group. */
export function issuesToErrors(
  ctx: Ctx,
  issues: z.core.$ZodIssue[],
  rendered: Set<string>,
): { errors: FieldErrors; general: string[] } {
  const errors: FieldErrors = {};
  const general: string[] = [];
  for (const i of issues) {
    const parts = i.path.map(String);
    const code = i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined ? 'required' : i.code;
    const message = code === 'custom' ? i.message : label(ctx.t.issueMessages, code);
    let placed = false;
    for (let n = parts.length; n > 0 && !placed; n--) {
      const p = parts.slice(0, n).join('.');
      if (rendered.has(p)) {
        errors[p] ??= message;
        placed = true;
      }
    }
    if (!placed) general.push(`${parts.join('.') || ctx.t.form}: ${message}`);
  }
  return { errors, general };
}
