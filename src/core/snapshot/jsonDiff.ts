import { isRecord } from './kubeObject';

/** JSON paths where `a` (snapshot) and `b` (live) differ: `+path` only in a, `-path` only in b, `~path` changed. */
export function jsonDiff(a: unknown, b: unknown, path = '', out: string[] = [], limit = 100): string[] {
  if (out.length >= limit) return out;
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const p = `${path}.${k}`;
      if (!(k in b)) out.push(`+${p}`);
      else if (!(k in a)) out.push(`-${p}`);
      else jsonDiff(a[k], b[k], p, out, limit);
      if (out.length >= limit) break;
    }
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length && out.length < limit; i++) jsonDiff(a[i], b[i], `${path}[${i}]`, out, limit);
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`~${path || '.'}`);
  return out;
}
