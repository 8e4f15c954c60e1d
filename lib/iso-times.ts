// Instants travel as epoch milliseconds in workflow state; API answers give them as ISO 8601.

/** `value` with every number under a key that `timeKey` matches turned into an ISO 8601 string. */
export function isoTimes(value: unknown, timeKey: RegExp, key = ''): unknown {
  if (typeof value === 'number' && timeKey.test(key)) return new Date(value).toISOString();
  if (Array.isArray(value)) return value.map((v) => isoTimes(v, timeKey));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, isoTimes(v, timeKey, k)]),
    );
  }
  return value;
}
