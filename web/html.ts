// Every page is built with the `html` tagged template: each interpolated value is escaped unless it
// is already Html built the same way, so no request data reaches a page unescaped. There is no
// "raw" escape hatch; markup comes only from template literals in this codebase.

export class Html {
  /** Only this module constructs Html from a string; everything else goes through `html`. */
  private constructor(readonly value: string) {}
  static trusted(value: string): Html {
    return new Html(value);
  }
  toString(): string {
    return this.value;
  }
}

export type Renderable = Html | string | number | boolean | null | undefined | readonly Renderable[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

function render(v: Renderable): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return Html.trusted(out);
}

/** Joins fragments (already escaped or escaped here). */
export function join(items: readonly Renderable[], sep: Renderable = ''): Html {
  return Html.trusted(items.map(render).join(render(sep)));
}

/** Escapes text for XML (Atom): the same set as HTML, valid in element content and attributes. */
export const escapeXml = escapeHtml;

/** Attribute helper: `html\`<input ${attrs({ required: true, value })}>\``; false/null omit the attribute. */
export function attrs(a: Record<string, string | number | boolean | null | undefined>): Html {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(a)) {
    if (v === false || v === null || v === undefined) continue;
    if (!/^[a-z][a-z0-9-]*$/.test(k)) throw new Error(`invalid attribute name ${k}`);
    parts.push(v === true ? k : `${k}="${escapeHtml(String(v))}"`);
  }
  return Html.trusted(parts.join(' '));
}
