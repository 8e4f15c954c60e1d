import { readFileSync } from 'node:fs';
import { API_ACTIONS } from '../../api/decisions/schemas';
import { COMMITMENT_ACTIONS } from '../../domain/commitment/schemas';
import { ROLES } from '../../domain/stages';
import {
  AUTHORITY_MD,
  parseAuthorityModel,
  ModelError,
  ruleFor,
  type AuthorityModel,
} from '../security/support/authority-model';
import { expectedAnswer } from '../security/support/model-evaluator';

// docs/authority.md is well-formed: the authorization matrix reads it, so a typo there would
// silently weaken the matrix. Only lists of names are taken from the code (roles, actions), never
// who may do what.

const text = readFileSync(AUTHORITY_MD, 'utf8');
let model: AuthorityModel;
beforeAll(() => {
  model = parseAuthorityModel(text);
});

it('parses', () => {
  expect(model.operations.length).toBeGreaterThan(20);
  expect(model.routes.size).toBeGreaterThan(50);
});

it('lists exactly the roles of DOMAIN §6 (domain/stages.ts) in its vocabulary', () => {
  expect([...model.roles].sort()).toEqual([...ROLES].sort());
});

it('defines every condition of its vocabulary once, and every rule uses only those', () => {
  const expected = [
    'anyone',
    'signed-in',
    'staff',
    ...ROLES,
    ...ROLES.map((r) => `${r}@organ`),
    'member@organ',
    'assigned',
    'assigned@stage',
    'counterparty',
    'responsible',
    'named',
    'head@named-organ',
    'not-named',
    'not-self',
  ];
  expect([...model.conditions].sort()).toEqual(expected.sort());
  const used = new Set([
    ...model.operations.flatMap((o) => (o.rule === 'by-action' ? [] : o.rule.flat())),
    ...Object.values(model.actions).flatMap((t) => Object.values(t).flat(2)),
  ]);
  expect([...used].filter((c) => !model.conditions.includes(c))).toEqual([]);
});

it('names every operation once, each with at least one route and a rule', () => {
  const names = model.operations.map((o) => o.name);
  expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  for (const o of model.operations) {
    expect({ op: o.name, routes: o.routes.length > 0 }).toEqual({ op: o.name, routes: true });
    if (o.rule !== 'by-action')
      expect({ op: o.name, empty: o.rule.some((alt) => alt.length === 0) }).toEqual({ op: o.name, empty: false });
  }
});

it('has a row for every stage action of the engine, and no other', () => {
  expect(Object.keys(model.actions['decision.act']).sort()).toEqual([...API_ACTIONS].sort());
});

it('has a row for every commitment action, and no other', () => {
  expect(Object.keys(model.actions['commitment.act']).sort()).toEqual([...COMMITMENT_ACTIONS].sort());
});

it('gives every stage action and commitment action a route to be asked on', () => {
  expect(ruleFor(model, 'POST', '/api/decisions/:id/actions/:action', { action: 'decide' }).operation).toBe(
    'decision.act:decide',
  );
  expect(ruleFor(model, 'POST', '/staff/decisions/:id/actions/:action', { action: 'decide' }).operation).toBe(
    'decision.act:decide',
  );
  expect(ruleFor(model, 'POST', '/api/commitments/:id/actions/:action', { action: 'terminate' }).operation).toBe(
    'commitment.act:terminate',
  );
});

describe('the parser fails loudly', () => {
  const swap = (from: string, to: string) => {
    expect(text).toContain(from);
    return text.replace(from, to);
  };
  it.each([
    [
      'an unknown condition',
      () =>
        swap(
          '| `credit-feed.read` | `GET /api/credit-feed` · `GET /api/credit-feed/sme-overdue-payments` | `supervisor` |',
          '| `credit-feed.read` | `GET /api/credit-feed` · `GET /api/credit-feed/sme-overdue-payments` | `superviser` |',
        ),
      /unknown condition `superviser`/,
    ],
    [
      'an unknown condition in an action table',
      () => swap('| `decide` | `head@organ` |', '| `decide` | `head@organs` |'),
      /unknown condition `head@organs`/,
    ],
    [
      'a row with a missing cell',
      () => swap('| `office.read` | `GET /api/offices/{id}` | `staff` |', '| `office.read` | `staff` |'),
      /a row has 2 cells, its table 3/,
    ],
    [
      'a route without its method',
      () => swap('| `office.read` | `GET /api/offices/{id}` |', '| `office.read` | `/api/offices/{id}` |'),
      /without its method/,
    ],
    [
      'a rule without backticks',
      () =>
        swap(
          '| `office.read` | `GET /api/offices/{id}` | `staff` |',
          '| `office.read` | `GET /api/offices/{id}` | staff |',
        ),
      /expected a condition in backticks/,
    ],
    [
      'a dangling operator',
      () =>
        swap(
          '| `integrity.file` | `POST /api/integrity-records` | `supervisor` |',
          '| `integrity.file` | `POST /api/integrity-records` | `supervisor` \\| |',
        ),
      /expected a condition in backticks/,
    ],
    ['an operation named twice', () => swap('| `office.read` |', '| `credit-feed.read` |'), /named twice/],
    ['a route named twice', () => swap('`GET /api/offices/{id}`', '`GET /api/credit-feed`'), /is named by/],
    ['a table of unknown shape', () => swap('| action | who |', '| action | whom |'), /unknown shape/],
  ])('on %s', (_what, doc, message) => {
    expect(() => parseAuthorityModel(doc())).toThrow(ModelError);
    expect(() => parseAuthorityModel(doc())).toThrow(message);
  });
});

describe('the evaluator', () => {
  const roles = ROLES as readonly string[];
  const official = { userId: 'u1', offices: [{ role: 'drafting-official', organId: 'A' }] };
  const outsider = { userId: 'u2', offices: [{ role: 'drafting-official', organId: 'B' }] };
  const anonymous = { userId: null, offices: [] };
  it('answers 401 without sign-in unless the rule admits anyone', () => {
    expect(expectedAnswer([['staff']], anonymous, {}, roles)).toBe(401);
    expect(expectedAnswer([['anyone']], anonymous, {}, roles)).toBe('allow');
  });
  it('reads @organ against the resource organ and its successors', () => {
    expect(expectedAnswer([['drafting-official@organ']], official, { organLineage: ['A'] }, roles)).toBe('allow');
    expect(expectedAnswer([['drafting-official@organ']], outsider, { organLineage: ['A'] }, roles)).toBe(403);
    expect(expectedAnswer([['drafting-official@organ']], outsider, { organLineage: ['A', 'B'] }, roles)).toBe('allow');
  });
  it('refuses to guess a resource it was not told about', () => {
    expect(() => expectedAnswer([['member@organ']], official, {}, roles)).toThrow(/scope lacks it/);
  });
  it('reads not-named as neither the person nor a holder of an office in the named organ', () => {
    const sup = (organId: string) => ({ userId: 's', offices: [{ role: 'supervisor', organId }] });
    const named = { userId: 'x', organLineage: ['A'] };
    expect(expectedAnswer([['supervisor', 'not-named']], sup('A'), { named }, roles)).toBe(403);
    expect(expectedAnswer([['supervisor', 'not-named']], sup('D'), { named }, roles)).toBe('allow');
  });
});
