import { parse as parseYaml } from 'yaml';
import { DrydockError } from '../errors';

/**
 * `.drydock/drill.yaml`: what to drill and the user's own checks.
 *
 * ```yaml
 * namespace: shop                 # the live local namespace `drydock drill --config` snapshots and drills
 * context: drydock-local          # optional; default: the kubeconfig's current context
 * aws: { endpoint: http://localhost:4566, region: us-east-1, queues: [], tables: [], buckets: [], autoDetect: true }
 * readyTimeoutSeconds: 90
 * keepOnFailure: false
 * checks:
 *   - name: web runs two replicas
 *     jsonpath: { object: deployment/web, path: $.spec.replicas, equals: 2 }
 *   - sqs: { queue: shop-orders, minMessages: 50 }
 *   - dynamodb: { table: shop-products, key: { sku: sku-0001 } }
 *   - s3: { bucket: shop-assets, key: docs/welcome.txt, sha256: … }
 *   - run: kubectl get deployment web      # env: DRYDOCK_NAMESPACE, KUBECONFIG, AWS_ENDPOINT_URL, DRYDOCK_QUEUE_SHOP_ORDERS…
 * ```
 * Queue, table and bucket names are the recovery point's; the drill maps them to its renamed copies.
 */
export interface DrillFile {
  namespace?: string;
  context?: string;
  aws?: {
    endpoint?: string;
    region?: string;
    queues?: string[];
    tables?: string[];
    buckets?: string[];
    autoDetect?: boolean;
  };
  readyTimeoutSeconds?: number;
  keepOnFailure?: boolean;
  checks: UserCheck[];
}

export interface JsonPathAssertion {
  /** `kind/name` or `resource[.group]/name`, in the drill namespace (cluster-scoped objects too). */
  object: string;
  path: string;
  equals?: unknown;
  matches?: string;
  exists?: boolean;
  atLeast?: number;
}

export type UserCheck =
  | { type: 'jsonpath'; name: string; jsonpath: JsonPathAssertion }
  | { type: 'sqs'; name: string; sqs: { queue: string; minMessages: number } }
  | { type: 'dynamodb'; name: string; dynamodb: { table: string; key: Record<string, string | number> } }
  | { type: 's3'; name: string; s3: { bucket: string; key: string; sha256?: string } }
  | { type: 'run'; name: string; run: string; timeoutSeconds: number };

const CHECK_KINDS = ['jsonpath', 'sqs', 'dynamodb', 's3', 'run'] as const;

class DrillFileProblems {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    this.list.push(`${where}: ${message}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Parses and validates a drill file's text; one DrydockError('invalid-input') lists every problem with its place. */
export function parseDrillFile(text: string, fileName = '.drydock/drill.yaml'): DrillFile {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new DrydockError('invalid-input', `${fileName} is not valid YAML: ${(error as Error).message}`);
  }
  if (!isObject(raw))
    throw new DrydockError('invalid-input', `${fileName} must be a YAML mapping (namespace:, checks:, …).`);
  const p = new DrillFileProblems();
  const known = ['namespace', 'context', 'aws', 'readyTimeoutSeconds', 'keepOnFailure', 'checks'];
  for (const k of Object.keys(raw)) if (!known.includes(k)) p.add(k, `unknown key (known: ${known.join(', ')})`);
  const out: DrillFile = { checks: [] };
  if (raw.namespace !== undefined) {
    if (!isNonEmptyString(raw.namespace) || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(raw.namespace))
      p.add('namespace', 'must be a namespace name');
    else out.namespace = raw.namespace;
  }
  if (raw.context !== undefined) {
    if (!isNonEmptyString(raw.context)) p.add('context', 'must be a context name');
    else out.context = raw.context;
  }
  if (raw.aws !== undefined) out.aws = parseAws(raw.aws, p);
  if (raw.readyTimeoutSeconds !== undefined) {
    if (typeof raw.readyTimeoutSeconds !== 'number' || !(raw.readyTimeoutSeconds > 0))
      p.add('readyTimeoutSeconds', 'must be a positive number');
    else out.readyTimeoutSeconds = raw.readyTimeoutSeconds;
  }
  if (raw.keepOnFailure !== undefined) {
    if (typeof raw.keepOnFailure !== 'boolean') p.add('keepOnFailure', 'must be true or false');
    else out.keepOnFailure = raw.keepOnFailure;
  }
  if (raw.checks !== undefined) {
    if (!Array.isArray(raw.checks)) p.add('checks', 'must be a list');
    else
      raw.checks.forEach((c, i) => {
        const check = parseCheck(c, `checks[${i}]`, p);
        if (check) out.checks.push(check);
      });
  }
  if (p.list.length)
    throw new DrydockError(
      'invalid-input',
      `${fileName} has ${p.list.length} problem(s):\n  - ${p.list.join('\n  - ')}`,
    );
  return out;
}

function parseAws(raw: unknown, p: DrillFileProblems): DrillFile['aws'] {
  if (!isObject(raw)) {
    p.add('aws', 'must be a mapping (endpoint, region, queues, tables, buckets, autoDetect)');
    return undefined;
  }
  const out: NonNullable<DrillFile['aws']> = {};
  if (raw.endpoint !== undefined) {
    if (!isNonEmptyString(raw.endpoint) || !/^https?:\/\//.test(raw.endpoint))
      p.add('aws.endpoint', 'must be an http(s) URL');
    else out.endpoint = raw.endpoint;
  }
  if (raw.region !== undefined) {
    if (!isNonEmptyString(raw.region)) p.add('aws.region', 'must be a region name');
    else out.region = raw.region;
  }
  for (const k of ['queues', 'tables', 'buckets'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every(isNonEmptyString)) p.add(`aws.${k}`, 'must be a list of names');
    else out[k] = v;
  }
  if (raw.autoDetect !== undefined) {
    if (typeof raw.autoDetect !== 'boolean') p.add('aws.autoDetect', 'must be true or false');
    else out.autoDetect = raw.autoDetect;
  }
  return out;
}

function parseCheck(raw: unknown, where: string, p: DrillFileProblems): UserCheck | undefined {
  if (!isObject(raw)) {
    p.add(where, `must be a mapping with one of ${CHECK_KINDS.join(', ')}`);
    return undefined;
  }
  const kinds = CHECK_KINDS.filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) {
    p.add(
      where,
      kinds.length
        ? `has ${kinds.join(' and ')}; give exactly one check kind`
        : `names no check kind (${CHECK_KINDS.join(', ')})`,
    );
    return undefined;
  }
  const kind = kinds[0]!;
  if (raw.name !== undefined && !isNonEmptyString(raw.name)) p.add(`${where}.name`, 'must be text');
  const given = isNonEmptyString(raw.name) ? raw.name : undefined;
  const body = raw[kind];
  const before = p.list.length;
  switch (kind) {
    case 'jsonpath': {
      if (!isObject(body)) return void p.add(`${where}.jsonpath`, 'must be a mapping with object and path');
      if (!isNonEmptyString(body.object) || !/^[^/\s]+\/[^/\s]+$/.test(body.object))
        p.add(`${where}.jsonpath.object`, 'must be kind/name, e.g. deployment/web');
      if (!isNonEmptyString(body.path) || !body.path.startsWith('$'))
        p.add(`${where}.jsonpath.path`, 'must be a JSONPath starting with $, e.g. $.spec.replicas');
      const expectations = ['equals', 'matches', 'exists', 'atLeast'].filter((k) => body[k] !== undefined);
      if (expectations.length !== 1) p.add(`${where}.jsonpath`, 'give exactly one of equals, matches, exists, atLeast');
      if (body.matches !== undefined) {
        if (typeof body.matches !== 'string') p.add(`${where}.jsonpath.matches`, 'must be a regular expression');
        else {
          try {
            new RegExp(body.matches);
          } catch (error) {
            p.add(`${where}.jsonpath.matches`, `is not a valid regular expression (${(error as Error).message})`);
          }
        }
      }
      if (body.exists !== undefined && typeof body.exists !== 'boolean')
        p.add(`${where}.jsonpath.exists`, 'must be true or false');
      if (body.atLeast !== undefined && typeof body.atLeast !== 'number')
        p.add(`${where}.jsonpath.atLeast`, 'must be a number');
      if (p.list.length > before) return undefined;
      const a = body as unknown as JsonPathAssertion;
      const jsonpath: JsonPathAssertion = { object: a.object, path: a.path };
      for (const k of ['equals', 'matches', 'exists', 'atLeast'] as const)
        if (a[k] !== undefined) (jsonpath as unknown as Record<string, unknown>)[k] = a[k];
      return { type: 'jsonpath', name: given ?? `${a.object} ${a.path} ${describeExpectation(jsonpath)}`, jsonpath };
    }
    case 'sqs': {
      if (!isObject(body) || !isNonEmptyString(body.queue))
        return void p.add(`${where}.sqs.queue`, 'must name a queue of the recovery point');
      const min = body.minMessages ?? 1;
      if (typeof min !== 'number' || !Number.isInteger(min) || min < 0)
        return void p.add(`${where}.sqs.minMessages`, 'must be a whole number ≥ 0');
      return {
        type: 'sqs',
        name: given ?? `queue ${body.queue} holds ≥ ${min} messages`,
        sqs: { queue: body.queue, minMessages: min },
      };
    }
    case 'dynamodb': {
      if (!isObject(body) || !isNonEmptyString(body.table))
        return void p.add(`${where}.dynamodb.table`, 'must name a table of the recovery point');
      const key = body.key;
      if (
        !isObject(key) ||
        Object.keys(key).length === 0 ||
        !Object.values(key).every((v) => typeof v === 'string' || typeof v === 'number')
      ) {
        return void p.add(`${where}.dynamodb.key`, 'must map key attribute names to string or number values');
      }
      return {
        type: 'dynamodb',
        name: given ?? `table ${body.table} has item ${JSON.stringify(key)}`,
        dynamodb: { table: body.table, key: key as Record<string, string | number> },
      };
    }
    case 's3': {
      if (!isObject(body) || !isNonEmptyString(body.bucket) || !isNonEmptyString(body.key))
        return void p.add(`${where}.s3`, 'must give bucket and key');
      if (body.sha256 !== undefined && (typeof body.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(body.sha256)))
        return void p.add(`${where}.s3.sha256`, 'must be 64 lower-case hex digits');
      const sha = body.sha256;
      return {
        type: 's3',
        name:
          given ??
          `object s3://${body.bucket}/${body.key} ${sha ? 'has checksum ' + sha.slice(0, 12) + '…' : 'exists'}`,
        s3: { bucket: body.bucket, key: body.key, ...(sha ? { sha256: sha } : {}) },
      };
    }
    case 'run': {
      if (!isNonEmptyString(body)) return void p.add(`${where}.run`, 'must be a shell command');
      const t = raw.timeoutSeconds ?? 60;
      if (typeof t !== 'number' || !(t > 0)) return void p.add(`${where}.timeoutSeconds`, 'must be a positive number');
      return { type: 'run', name: given ?? `run: ${body}`, run: body, timeoutSeconds: t };
    }
  }
}

export function describeExpectation(a: JsonPathAssertion): string {
  if (a.equals !== undefined) return `equals ${JSON.stringify(a.equals)}`;
  if (a.matches !== undefined) return `matches /${a.matches}/`;
  if (a.atLeast !== undefined) return `≥ ${a.atLeast}`;
  return a.exists === false ? 'does not exist' : 'exists';
}
