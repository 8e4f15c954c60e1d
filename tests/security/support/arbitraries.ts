import fc from 'fast-check';
import { z } from 'zod';

// fast-check arbitraries derived from the JSON Schema zod 4 produces for a request schema
// (z.toJSONSchema, input side), and the mutations the fuzzing sends besides valid requests:
// wrong types, huge strings, odd Unicode, injection strings and prototype-pollution keys.

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
};

export const jsonSchemaOf = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/** Text that survives `.trim().min(1)`: starts with a letter, may hold any grapheme after it. */
function text(min: number, max: number): fc.Arbitrary<string> {
  const cap = Math.max(1, Math.min(max, 60));
  return fc
    .tuple(fc.constantFrom('a', 'Z', '中', 'é'), fc.string({ unit: 'grapheme', maxLength: cap }))
    .map(([head, tail]) => (head + tail).slice(0, Math.max(min, cap)).padEnd(min, 'x'));
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-3) : -1_000_000);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-3) : 1_000_000);
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

export function fromJsonSchema(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => fromJsonSchema(a, depth + 1)));
  if (s.allOf?.length) return fromJsonSchema(s.allOf[0], depth + 1);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'string':
      if (s.format === 'date-time')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (s.format === 'date')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (s.format === 'uri') return fc.webUrl();
      if (s.format === 'email') return fc.emailAddress();
      if (s.pattern)
        return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? Infinity));
      return text(s.minLength ?? 0, s.maxLength ?? 200);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? fromJsonSchema(s.items, depth + 1) : fc.jsonValue({ maxDepth: 1 }), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)),
      });
    case 'object': {
      const props = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromJsonSchema(v, depth + 1)]));
      const record = fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
      if (typeof s.additionalProperties !== 'object') return record;
      const keys = s.propertyNames
        ? fromJsonSchema(s.propertyNames, depth + 1)
        : fc.string({ minLength: 1, maxLength: 20 });
      const extra = fc.dictionary(keys as fc.Arbitrary<string>, fromJsonSchema(s.additionalProperties, depth + 1), {
        maxKeys: 3,
      });
      return fc.tuple(record, extra).map(([a, b]) => ({ ...b, ...a }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Strings that have broken systems: markup, SQL, templates, paths, control and odd Unicode. */
export const EVIL_STRINGS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' OR '1'='1' --",
  '1; DROP TABLE decision; --',
  "'); DELETE FROM audit_entry; --",
  '${7*7}{{7*7}}<%= 7*7 %>',
  '../../../../etc/passwd',
  '\u202Egnp.exe\u202C',
  'zero\u200Bwidth\uFEFF',
  'e\u0301\u0301\u0301\u0301 👩‍👩‍👧‍👦 𝕏',
  'nul\u0000byte',
  'lone \uD800 surrogate',
  '\\u0000 escaped',
  ' \t\n ',
  'ＡＤＭＩＮ',
];

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'isAdmin', '$where'];

/** A value of the wrong kind, a huge or odd string, or an object carrying a pollution key. */
export const evilValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 0, -1, 1e308, -0, true, false, [], {}, [null], { $gt: '' }, 'x'.repeat(200_000)),
  fc.constantFrom(...EVIL_STRINGS),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer({ min: 1, max: 600_000 }).map((n) => 'y'.repeat(n)),
  fc.constantFrom(...POLLUTION_KEYS).map((k) => Object.fromEntries([[k, { polluted: 'yes' }]])),
  fc.jsonValue({ maxDepth: 3 }),
);

/**
 * Percent-encodes any string; an unpaired surrogate, which encodeURIComponent refuses, is sent as
 * the bytes a careless encoder would produce (CESU-8), which are not valid UTF-8.
 */
export function encodeAny(s: string): string {
  return s
    .split(/(\p{Cs})/u)
    .map((part) => (/^\p{Cs}$/u.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

/** Every path to a value inside `v` (objects and arrays), the root included. */
function paths(
  v: unknown,
  at: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

const clone = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Sets an own, enumerable property even for "__proto__", so JSON.stringify sends it. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mutateAt(
  base: unknown,
  path: Array<string | number>,
  how: 'replace' | 'drop' | 'add',
  value: unknown,
  key: string,
): unknown {
  const root = clone(base);
  if (!path.length) {
    if (how === 'replace') return value;
    if (how === 'add' && root && typeof root === 'object' && !Array.isArray(root))
      setOwn(root as Record<string, unknown>, key, value);
    return root;
  }
  let parent = root as Record<string | number, unknown>;
  for (const p of path.slice(0, -1)) parent = parent[p] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (how === 'drop') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (how === 'replace') parent[last] = value;
  else {
    const child = parent[last];
    if (child && typeof child === 'object' && !Array.isArray(child))
      setOwn(child as Record<string, unknown>, key, value);
    else parent[last] = value;
  }
  return root;
}

/**
 * A valid-looking value: generated from the schema, the endpoint's example as is, or the example
 * with some of its fields replaced by generated ones (the schema alone cannot know which
 * template, person or obligation exists; the example does).
 */
function validArbitrary(schema: z.ZodType, example?: unknown): fc.Arbitrary<unknown> {
  const generated = fromJsonSchema(jsonSchemaOf(schema));
  if (example === undefined || example === null || typeof example !== 'object' || Array.isArray(example))
    return generated;
  const blend = fc.tuple(generated, fc.array(fc.boolean(), { minLength: 20, maxLength: 20 })).map(([g, coins]) => {
    if (!g || typeof g !== 'object' || Array.isArray(g)) return example;
    const out: Record<string, unknown> = { ...(example as Record<string, unknown>) };
    Object.keys(g).forEach((k, i) => {
      if (coins[i % coins.length]) out[k] = (g as Record<string, unknown>)[k];
    });
    return out;
  });
  return fc.oneof(generated, fc.constant(example), blend);
}

/** A request body as JSON text: valid (half the time) or valid and then mutated once or twice. */
export function bodyArbitrary(schema: z.ZodType, example?: unknown): fc.Arbitrary<string> {
  const valid = validArbitrary(schema, example);
  const mutation = fc.record({
    how: fc.constantFrom('replace' as const, 'drop' as const, 'add' as const),
    pick: fc.nat(),
    key: fc.oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string({ maxLength: 12 })),
    value: evilValue,
  });
  return fc.oneof(
    { weight: 5, arbitrary: valid.map((v) => JSON.stringify(v)) },
    {
      weight: 5,
      arbitrary: fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 2 })).map(([v, ms]) => {
        let out = v;
        for (const m of ms) {
          const all = paths(out);
          out = mutateAt(out, all[m.pick % all.length], m.how, m.value, m.key);
        }
        return JSON.stringify(out) ?? 'null';
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'null',
        '[]',
        '"text"',
        '42',
        '{"a":' + '['.repeat(5_000) + ']'.repeat(5_000) + '}',
        '[' + '['.repeat(20_000) + ']'.repeat(20_000) + ']',
      ),
    },
  );
}

/** A query string from the query schema: valid values, evil values, repeated and unknown keys. */
export function queryArbitrary(schema: z.ZodType, example?: Record<string, string>): fc.Arbitrary<string> {
  const valid = validArbitrary(schema, example) as fc.Arbitrary<Record<string, unknown>>;
  const pair = fc.tuple(
    fc.oneof(fc.constantFrom(...POLLUTION_KEYS, 'limit', 'offset', 'status'), fc.string({ maxLength: 8 })),
    fc.oneof(fc.constantFrom(...EVIL_STRINGS), fc.string({ unit: 'binary', maxLength: 20 })),
  );
  const encode = (entries: Array<[string, unknown]>) =>
    entries.map(([k, v]) => `${encodeAny(k)}=${encodeAny(String(v))}`).join('&');
  return fc.oneof(
    valid.map((v) => encode(Object.entries(v))),
    fc
      .tuple(valid, fc.array(pair, { minLength: 1, maxLength: 3 }))
      .map(([v, extra]) => encode([...Object.entries(v), ...extra])),
    fc.constantFrom(
      'limit=1&limit=2',
      'a[b]=1',
      '%00=%00',
      'limit=%E0%A4%A',
      'offset=1e309',
      '__proto__[polluted]=yes',
      'since=2026-02-30T00:00:00Z',
    ),
  );
}

/** Path segments to put where an id goes, already percent-encoded (some deliberately badly). */
export const evilSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '%00',
    'a%00b',
    '%E0%A4%A',
    '%ED%A0%80',
    '%2e%2e%2f%2e%2e%2fetc',
    '..',
    '%2F',
    'x'.repeat(6_000),
    '%C0%AE',
    '__proto__',
    'constructor',
  ),
  fc.constantFrom(...EVIL_STRINGS).map(encodeAny),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeAny),
);
