import type { KubeObject } from './kubeObject';
import { isRecord } from './kubeObject';

/**
 * References to AWS resources inside Kubernetes objects: ConfigMap data, Secret data (decoded)
 * and stringData, and every container `env[].value`. Used both to offer the resources a namespace
 * uses when snapshotting, and to point a restored copy at its own renamed resources.
 */

/** Applies `fn` to every reference-bearing string of the object, in place; returns how many changed. */
export function mapReferenceStrings(obj: KubeObject, fn: (value: string) => string): number {
  let changed = 0;
  const apply = (value: string) => {
    const next = fn(value);
    if (next !== value) changed++;
    return next;
  };
  if (obj.kind === 'ConfigMap' && obj.apiVersion === 'v1' && isRecord(obj.data)) {
    for (const [k, v] of Object.entries(obj.data)) if (typeof v === 'string') obj.data[k] = apply(v);
  }
  if (obj.kind === 'Secret' && obj.apiVersion === 'v1') {
    if (isRecord(obj.data)) {
      for (const [k, v] of Object.entries(obj.data)) {
        if (typeof v !== 'string') continue;
        const text = decodeUtf8Base64(v);
        if (text === undefined) continue;
        const next = apply(text);
        if (next !== text) obj.data[k] = Buffer.from(next, 'utf8').toString('base64');
      }
    }
    if (isRecord(obj.stringData)) {
      for (const [k, v] of Object.entries(obj.stringData)) if (typeof v === 'string') obj.stringData[k] = apply(v);
    }
  }
  walkEnv(obj, (env) => {
    if (typeof env.value === 'string') env.value = apply(env.value);
  });
  return changed;
}

/** All reference-bearing strings of an object. */
export function referenceStrings(obj: KubeObject): string[] {
  const out: string[] = [];
  mapReferenceStrings(obj, (s) => {
    out.push(s);
    return s;
  });
  return out;
}

function decodeUtf8Base64(value: string): string | undefined {
  const bytes = Buffer.from(value, 'base64');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

/** Calls `visit` for every `env: [{name, value}]` entry anywhere in the object (pods, templates, CRs). */
function walkEnv(node: unknown, visit: (env: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walkEnv(child, visit);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'env' && Array.isArray(value)) {
      for (const e of value) if (isRecord(e) && typeof e.name === 'string') visit(e);
    } else if (key !== 'metadata' && key !== 'status') {
      walkEnv(value, visit);
    }
  }
}

/** One renamed AWS resource and the exact identifiers of the old and the new one. */
export interface AwsRename {
  service: 'sqs' | 'dynamodb' | 's3';
  from: string;
  to: string;
  /** Exact identifiers (queue URL, ARN) replaced as substrings before names are replaced as tokens. */
  identifiers?: Array<{ from: string; to: string }>;
  /** SQS: the URL of the queue on the target, once the restore has made (or found) it. */
  targetUrl?: string;
}

const NAME_CHAR = 'A-Za-z0-9_\\-';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A name as a whole token: not glued to other name characters (so `orders` never matches `orders-dlq`). */
function tokenPattern(name: string): RegExp {
  return new RegExp(`(?<![${NAME_CHAR}.])${escapeRegExp(name)}(?![${NAME_CHAR}])`, 'g');
}

/** A function that rewrites every reference to a renamed resource in a string. Longest names first. */
export function referenceRewriter(renames: readonly AwsRename[]): (value: string) => string {
  const identifiers = renames
    .flatMap((r) => r.identifiers ?? [])
    .filter((i) => i.from !== i.to)
    .sort((a, b) => b.from.length - a.from.length);
  const names = renames.filter((r) => r.from !== r.to).sort((a, b) => b.from.length - a.from.length);
  const patterns = names.map((r) => ({ re: tokenPattern(r.from), to: r.to }));
  return (value) => {
    // Placeholders keep a replaced identifier from being rewritten again by a shorter name. They are delimited by a
    // private-use character, which no Kubernetes or AWS name holds.
    const done: string[] = [];
    const hold = (to: string) => `\uE000${done.push(to) - 1}\uE000`;
    let out = value;
    for (const id of identifiers) if (out.includes(id.from)) out = out.split(id.from).join(hold(id.to));
    for (const p of patterns) out = out.replace(p.re, () => hold(p.to));
    return out.replace(/\uE000(\d+)\uE000/g, (_, i: string) => done[Number(i)]!);
  };
}

/** Which of the candidate names occur (as tokens) in the given strings. */
export function findReferencedNames(texts: Iterable<string>, candidates: readonly string[]): Set<string> {
  const found = new Set<string>();
  const patterns = candidates.map((c) => ({ name: c, re: tokenPattern(c) }));
  for (const text of texts) {
    for (const p of patterns) {
      if (found.has(p.name)) continue;
      p.re.lastIndex = 0;
      if (p.re.test(text)) found.add(p.name);
    }
  }
  return found;
}

/** The new name of an AWS resource under a prefix/suffix; a FIFO queue keeps `.fifo` last. */
export function renamedAwsName(service: AwsRename['service'], name: string, prefix = '', suffix = ''): string {
  if (service === 'sqs' && name.endsWith('.fifo')) return `${prefix}${name.slice(0, -5)}${suffix}.fifo`;
  return `${prefix}${name}${suffix}`;
}
