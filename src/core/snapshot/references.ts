import type { KubeObject } from './kubeObject';
import { isRecord } from './kubeObject';

/**
 * References to AWS resources inside Kubernetes objects: ConfigMap data, Secret data (decoded)
 * and stringData, and every container `env[].value`. Used both to offer the resources a namespace
 * uses when snapshotting, and to point a restored copy at its own renamed resources.
 */

/** Applies `fn` to every reference-bearing string of the object, in place; returns how many changed. */
export function mapReferenceStrings(obj: KubeObject, fn: (value: string) => string): number {
  return mapKeyedReferenceStrings(obj, (value) => fn(value));
}

/** Where a reference-bearing string sits: its key (data key, env var name, annotation name) and a path for people. */
export interface ReferenceLocation {
  key: string;
  /** `data.QUEUE_URL`, `env ORDERS_URL (container web)`, `annotation example.com/queue`. */
  where: string;
}

/**
 * `mapReferenceStrings` with the location of each string; with `annotations`, the object's annotations and those
 * of its pod templates (`…template.metadata.annotations`) are visited too.
 */
export function mapKeyedReferenceStrings(
  obj: KubeObject,
  fn: (value: string, at: ReferenceLocation) => string,
  opts: { annotations?: boolean } = {},
): number {
  let changed = 0;
  const apply = (value: string, at: ReferenceLocation) => {
    const next = fn(value, at);
    if (next !== value) changed++;
    return next;
  };
  if (obj.kind === 'ConfigMap' && obj.apiVersion === 'v1' && isRecord(obj.data)) {
    for (const [k, v] of Object.entries(obj.data))
      if (typeof v === 'string') obj.data[k] = apply(v, { key: k, where: `data.${k}` });
  }
  if (obj.kind === 'Secret' && obj.apiVersion === 'v1') {
    if (isRecord(obj.data)) {
      for (const [k, v] of Object.entries(obj.data)) {
        if (typeof v !== 'string') continue;
        const text = decodeUtf8Base64(v);
        if (text === undefined) continue;
        const next = apply(text, { key: k, where: `data.${k}` });
        if (next !== text) obj.data[k] = Buffer.from(next, 'utf8').toString('base64');
      }
    }
    if (isRecord(obj.stringData)) {
      for (const [k, v] of Object.entries(obj.stringData))
        if (typeof v === 'string') obj.stringData[k] = apply(v, { key: k, where: `stringData.${k}` });
    }
  }
  walkEnv(obj, (env, container) => {
    if (typeof env.value === 'string') {
      const name = env.name as string;
      const where = container ? `env ${name} (container ${container})` : `env ${name}`;
      env.value = apply(env.value, { key: name, where });
    }
  });
  if (opts.annotations) {
    walkAnnotations(obj, (annotations) => {
      for (const [k, v] of Object.entries(annotations))
        if (typeof v === 'string') annotations[k] = apply(v, { key: k, where: `annotation ${k}` });
    });
  }
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
function walkEnv(node: unknown, visit: (env: Record<string, unknown>, container?: string) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walkEnv(child, visit);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'env' && Array.isArray(value)) {
      const container = typeof node.name === 'string' ? node.name : undefined;
      for (const e of value) if (isRecord(e) && typeof e.name === 'string') visit(e, container);
    } else if (key !== 'metadata' && key !== 'status') {
      walkEnv(value, visit);
    }
  }
}

/** Calls `visit` for the object's annotations and every nested `metadata.annotations` (pod and job templates). */
function walkAnnotations(node: unknown, visit: (annotations: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walkAnnotations(child, visit);
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'metadata') {
      if (isRecord(value) && isRecord(value.annotations)) visit(value.annotations);
    } else if (key !== 'status') {
      walkAnnotations(value, visit);
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
