/**
 * The one canonical JSON form: object keys sorted at every depth, arrays kept in order. Equal data gives
 * equal text whatever order a server or a file listed the keys in (dry-run diffs, drill checksums).
 */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sortKeysDeep(o[k])]),
    );
  }
  return value;
}

/** Compact canonical JSON (for comparing and digesting). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

/** Pretty canonical JSON ending in a newline (for a side-by-side diff editor). */
export function prettyCanonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value), null, 2) + '\n';
}
