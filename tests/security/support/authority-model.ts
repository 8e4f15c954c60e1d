import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// A parser of docs/authority.md, the written model of who may do what. The authorization tests
// take their expectations from this file and from nothing in the code under test: no import of
// domain/authority.ts, of the routers' guards or of ACTION_SPECS here.
//
// What it reads: the vocabulary table (the conditions a rule may use; `<role>` and `<role>@organ`
// expanded over the roles the vocabulary lists), the operation tables (an operation, the API
// routes and pages it answers, its rule) and the per-action tables of `decision.act` and
// `commitment.act`. A rule is `cond (& cond)* (\| cond (& cond)*)*`, each condition in
// backticks; text after the expression is commentary. Anything else — an unknown condition, a
// row with the wrong number of cells, a route that is not `METHOD /path`, a table of an unknown
// shape, an operation or route named twice — throws, naming the line.

/** Alternatives (`|`) of conjunctions (`&`) of conditions. */
export type Rule = string[][];

export interface RouteRef {
  kind: 'api' | 'page';
  method: string;
  /** As written in the document, e.g. `/api/decisions/{id}`. */
  path: string;
  /** Method and path with every parameter written `:` (Express and document forms agree on it). */
  key: string;
}

export interface ModelOperation {
  name: string;
  routes: RouteRef[];
  /** The rule; `by-action` for the operations whose rule is in a per-action table. */
  rule: Rule | 'by-action';
  /** Rules of the form "`anyone` (sign-in), `signed-in` (sign-out)": one rule per label. */
  labelled?: Record<string, Rule>;
  ruleText: string;
  line: number;
}

export interface AuthorityModel {
  roles: string[];
  conditions: string[];
  operations: ModelOperation[];
  /** Per-action rules of `decision.act` and `commitment.act`. */
  actions: Record<'decision.act' | 'commitment.act', Record<string, Rule>>;
  /** Every route and page named, by `key`. */
  routes: Map<string, { operation: ModelOperation; route: RouteRef }>;
}

export class ModelError extends Error {}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const fail = (line: number, msg: string): never => {
  throw new ModelError(`docs/authority.md line ${line}: ${msg}`);
};

/** `METHOD /a/{id}/b.{format}` or Express `METHOD /a/:id/b.:format` → `METHOD /a/:/b.:`. */
export function canonicalRoute(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[A-Za-z]+\}|:[A-Za-z_]+/g, ':')}`;
}

/** Does a canonical route of the model (possibly ending in `/*`) cover a served canonical route? */
export function routeCovers(modelKey: string, servedKey: string): boolean {
  if (modelKey.endsWith('/*')) return servedKey.startsWith(modelKey.slice(0, -1));
  return modelKey === servedKey;
}

/** Cells of a table row; `\|` is a literal bar inside a cell. */
function cells(row: string, line: number): string[] {
  const t = row.trim();
  if (!t.startsWith('|') || !t.endsWith('|')) fail(line, `not a table row: ${row}`);
  return t
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

interface Table {
  heading: string;
  header: string[];
  rows: Array<{ cells: string[]; line: number }>;
  line: number;
}

function tables(text: string): Table[] {
  const lines = text.split('\n');
  const out: Table[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^#{1,6} /.test(l)) heading = l.replace(/^#+ /, '').trim();
    if (!l.trim().startsWith('|')) continue;
    const header = cells(l, i + 1);
    const sep = lines[i + 1] ?? '';
    const sepCells = sep.trim().startsWith('|') ? cells(sep, i + 2) : [];
    if (sepCells.length !== header.length || !sepCells.every((c) => /^:?-{3,}:?$/.test(c)))
      fail(i + 2, 'a table header is not followed by its separator row');
    const t: Table = { heading, header, rows: [], line: i + 1 };
    let j = i + 2;
    for (; j < lines.length && lines[j].trim().startsWith('|'); j++) {
      const c = cells(lines[j], j + 1);
      if (c.length !== header.length)
        fail(j + 1, `a row has ${c.length} cells, its table ${header.length}: ${lines[j]}`);
      if (c.some((x) => x === '')) fail(j + 1, `a row has an empty cell: ${lines[j]}`);
      t.rows.push({ cells: c, line: j + 1 });
    }
    out.push(t);
    i = j - 1;
  }
  return out;
}

const single = (cell: string, line: number): string => {
  const m = /^`([^`]+)`$/.exec(cell);
  return m ? m[1] : fail(line, `expected one name in backticks, found: ${cell}`);
};

/**
 * Parses a rule at the start of `text`; returns it and the commentary after it. The expression is
 * backticked conditions joined by `|` or `&`; it ends at the first text that is neither.
 */
function parseExpression(text: string, conditions: Set<string>, line: number): { rule: Rule; rest: string } {
  const rule: Rule = [[]];
  let s = text;
  for (;;) {
    const m = /^\s*`([^`]+)`/.exec(s);
    if (!m) fail(line, `expected a condition in backticks at "${s.slice(0, 40)}" (rule: ${text})`);
    const cond = m![1];
    if (!conditions.has(cond))
      fail(line, `unknown condition \`${cond}\` (rule: ${text}); the vocabulary has: ${[...conditions].join(', ')}`);
    rule[rule.length - 1].push(cond);
    s = s.slice(m![0].length);
    const op = /^\s*([|&])/.exec(s);
    if (!op) break;
    if (op[1] === '|') rule.push([]);
    s = s.slice(op[0].length);
  }
  return { rule, rest: s.trim() };
}

function parseRule(text: string, conditions: Set<string>, line: number): Pick<ModelOperation, 'rule' | 'labelled'> {
  if (text === 'by action, table below') return { rule: 'by-action' };
  const first = parseExpression(text, conditions, line);
  // "`anyone` (sign-in), `signed-in` (sign-out)": one rule per label.
  const label = /^\(([a-z-]+)\)(?:,\s*(.*))?$/.exec(first.rest);
  if (label && label[2] !== undefined) {
    const labelled: Record<string, Rule> = { [label[1]]: first.rule };
    let rest = label[2];
    while (rest) {
      const next = parseExpression(rest, conditions, line);
      const l = /^\(([a-z-]+)\)(?:,\s*(.*))?$/.exec(next.rest);
      if (!l) fail(line, `a labelled rule lacks its "(label)": ${text}`);
      if (labelled[l![1]]) fail(line, `label "${l![1]}" given twice: ${text}`);
      labelled[l![1]] = next.rule;
      rest = l![2] ?? '';
    }
    return { rule: Object.values(labelled).flat(), labelled };
  }
  // Commentary must not hide a condition the expression failed to join.
  if (/^[|&]/.test(first.rest)) fail(line, `a dangling operator in rule: ${text}`);
  return { rule: first.rule };
}

function parseRouteRef(token: string, kind: 'api' | 'page', line: number): RouteRef {
  const m = /^(?:([A-Z]+) )?(\/\S*)$/.exec(token);
  if (!m) fail(line, `not a route: \`${token}\``);
  const method = m![1] ?? (kind === 'page' ? 'GET' : fail(line, `an API route without its method: \`${token}\``));
  if (!METHODS.includes(method)) fail(line, `unknown method in \`${token}\``);
  const path = m![2];
  if (kind === 'api' && !path.startsWith('/api/'))
    fail(line, `an API route outside /api/: \`${token}\` (write "page" before pages)`);
  if (kind === 'page' && path.startsWith('/api/')) fail(line, `a page under /api/: \`${token}\``);
  if (path.includes('*') && !path.endsWith('/*'))
    fail(line, `a wildcard is only allowed as a last segment: \`${token}\``);
  return { kind, method, path, key: canonicalRoute(method, path) };
}

/** `GET /api/x` · `GET /api/y` · page `/a`, `/b` · pages `POST /c` (form `GET /c`) */
function parseRoutes(cell: string, line: number): RouteRef[] {
  const out: RouteRef[] = [];
  for (const segment of cell.split(/\s+·\s+/)) {
    const s = segment.trim();
    const page = /^pages? (.*)$/.exec(s);
    if (page) {
      const tokens = [...page[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      const leftover = page[1]
        .replace(/`[^`]+`/g, '')
        .replace(/\(form\s*\)/g, '')
        .replace(/[\s,]/g, '');
      if (!tokens.length || leftover) fail(line, `malformed page list: ${s}`);
      out.push(...tokens.map((t) => parseRouteRef(t, 'page', line)));
    } else {
      out.push(parseRouteRef(single(s, line), 'api', line));
    }
  }
  return out;
}

export function parseAuthorityModel(text: string): AuthorityModel {
  const ts = tables(text);
  const vocab = ts.filter((t) => t.header[0] === 'condition');
  if (vocab.length !== 1)
    fail(vocab[1]?.line ?? 1, `expected one vocabulary table (header "condition | …"), found ${vocab.length}`);
  const roles: string[] = [];
  const templates: string[] = [];
  for (const r of vocab[0].rows) {
    const name = single(r.cells[0], r.line);
    templates.push(name);
    if (name === '<role>') {
      const m = /\(roles: ((?:`[a-z-]+`(?:, )?)+)\)/.exec(r.cells[1]);
      if (!m) fail(r.line, 'the `<role>` condition does not list its roles as "(roles: `a`, `b`)"');
      roles.push(...[...m![1].matchAll(/`([a-z-]+)`/g)].map((x) => x[1]));
    }
  }
  if (!roles.length) fail(vocab[0].line, 'the vocabulary has no `<role>` condition');
  const conditions: string[] = [];
  for (const t of templates) {
    if (t.includes('<role>')) conditions.push(...roles.map((role) => t.replace('<role>', role)));
    else if (/[<>]/.test(t)) fail(vocab[0].line, `unknown template condition \`${t}\``);
    else conditions.push(t);
  }
  const dup = conditions.find((c, i) => conditions.indexOf(c) !== i);
  if (dup) fail(vocab[0].line, `condition \`${dup}\` defined twice`);
  const condSet = new Set(conditions);

  const operations: ModelOperation[] = [];
  const actions: AuthorityModel['actions'] = { 'decision.act': {}, 'commitment.act': {} };
  const seenActionTables = new Set<string>();
  for (const t of ts) {
    const h = t.header.join(' | ');
    if (t === vocab[0]) continue;
    if (h === 'operation | API routes and pages | who') {
      for (const r of t.rows) {
        const name = single(r.cells[0], r.line);
        if (!/^[a-z-]+(\.[a-z-]+)?$/.test(name)) fail(r.line, `malformed operation name \`${name}\``);
        if (operations.some((o) => o.name === name)) fail(r.line, `operation \`${name}\` named twice`);
        operations.push({
          name,
          routes: parseRoutes(r.cells[1], r.line),
          ...parseRule(r.cells[2], condSet, r.line),
          ruleText: r.cells[2],
          line: r.line,
        });
      }
    } else if (h === 'action | who') {
      const target = /`(decision\.act|commitment\.act)`/.exec(t.heading)?.[1] as
        'decision.act' | 'commitment.act' | undefined;
      if (!target)
        fail(
          t.line,
          `an action table under a heading that names neither \`decision.act\` nor \`commitment.act\`: ${t.heading}`,
        );
      if (seenActionTables.has(target!)) fail(t.line, `a second action table of \`${target}\``);
      seenActionTables.add(target!);
      for (const r of t.rows) {
        const action = single(r.cells[0], r.line);
        if (!/^[a-z-]+$/.test(action)) fail(r.line, `malformed action name \`${action}\``);
        if (actions[target!][action]) fail(r.line, `action \`${action}\` named twice`);
        const { rule, labelled } = parseRule(r.cells[1], condSet, r.line);
        if (rule === 'by-action' || labelled) fail(r.line, `an action's rule must be a plain rule: ${r.cells[1]}`);
        actions[target!][action] = rule as Rule;
      }
    } else {
      fail(t.line, `a table of unknown shape: | ${h} |`);
    }
  }
  for (const table of ['decision.act', 'commitment.act'] as const) {
    const op = operations.find((o) => o.name === table);
    if (op && op.rule !== 'by-action') fail(op.line, `\`${table}\` must say "by action, table below"`);
    if (op && !seenActionTables.has(table)) fail(op.line, `\`${table}\` has no action table`);
  }
  for (const op of operations)
    if (op.rule === 'by-action' && !seenActionTables.has(op.name))
      fail(op.line, `\`${op.name}\` is "by action" but has no action table`);

  const routes = new Map<string, { operation: ModelOperation; route: RouteRef }>();
  for (const operation of operations) {
    for (const route of operation.routes) {
      const prior = routes.get(route.key);
      if (prior)
        fail(
          operation.line,
          `\`${route.method} ${route.path}\` is named by \`${prior.operation.name}\` and \`${operation.name}\``,
        );
      routes.set(route.key, { operation, route });
    }
  }
  return { roles, conditions, operations, actions, routes };
}

export const AUTHORITY_MD = join(__dirname, '..', '..', '..', 'docs', 'authority.md');

export const loadAuthorityModel = (): AuthorityModel => parseAuthorityModel(readFileSync(AUTHORITY_MD, 'utf8'));

/** The model's entry for a served route (Express form), if any. */
export function modelEntryFor(model: AuthorityModel, method: string, expressPath: string) {
  const key = canonicalRoute(method, expressPath);
  const exact = model.routes.get(key);
  if (exact) return exact;
  for (const [k, v] of model.routes) if (routeCovers(k, key)) return v;
  return undefined;
}

/** The rule of a route, for an action route the rule of its action. Throws if the model lacks either. */
export function ruleFor(
  model: AuthorityModel,
  method: string,
  expressPath: string,
  o: { action?: string; label?: string } = {},
): { operation: string; rule: Rule } {
  const entry = modelEntryFor(model, method, expressPath);
  if (!entry) throw new ModelError(`${method} ${expressPath} is not named in docs/authority.md`);
  const op = entry.operation;
  if (op.rule === 'by-action') {
    if (!o.action) throw new ModelError(`${method} ${expressPath} (${op.name}) needs an action`);
    const table = (op.name === 'decision.act' || op.name === 'commitment.act' ? op.name : undefined) as
      'decision.act' | 'commitment.act' | undefined;
    if (!table)
      throw new ModelError(`\`${op.name}\` is "by action" but only decision.act and commitment.act have action tables`);
    return { operation: `${op.name}:${o.action}`, rule: actionRule(model, table, o.action) };
  }
  if (op.labelled) {
    if (!o.label || !op.labelled[o.label])
      throw new ModelError(
        `${method} ${expressPath} (${op.name}) needs one of the labels ${Object.keys(op.labelled).join(', ')}`,
      );
    return { operation: `${op.name} (${o.label})`, rule: op.labelled[o.label] };
  }
  return { operation: op.name, rule: op.rule };
}

export function actionRule(model: AuthorityModel, table: 'decision.act' | 'commitment.act', action: string): Rule {
  const rule = model.actions[table][action];
  if (!rule) throw new ModelError(`action \`${action}\` is not in the \`${table}\` table of docs/authority.md`);
  return rule;
}
