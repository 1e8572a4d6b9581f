/**
 * The only place that knows paths inside a snapshot.
 *
 * Kubernetes part: Velero's backup layout (format 1.1.0), so Velero can read it:
 *   metadata/version                                              "1.1.0\n"
 *   resources/<resource>[.<group>]/namespaces/<ns>/<name>.json
 *   resources/<resource>[.<group>]/cluster/<name>.json
 *   resources/<resource>[.<group>]/<version>-preferredversion/namespaces/<ns>/<name>.json   (same item again)
 * Secrets encrypted with age end in `.json.age` instead of `.json`.
 *
 * Drydock's own parts beside it:
 *   drydock/manifest.json      schema version, source, counts, sha256 of every other entry
 *   drydock/key.age            the snapshot's age identity, encrypted with the passphrase
 *   aws/sqs/<queue>/queue.json + messages.jsonl
 *   aws/dynamodb/<table>/table.json + items.jsonl   (DynamoDB JSON, one item a line)
 *   aws/s3/<bucket>/bucket.json + objects.jsonl + data/<n>   (object bytes, by index)
 */

export const VELERO_FORMAT_VERSION = '1.1.0';
export const VERSION_PATH = 'metadata/version';
export const MANIFEST_PATH = 'drydock/manifest.json';
export const KEY_PATH = 'drydock/key.age';
export const ENCRYPTED_SUFFIX = '.age';

export interface ItemRef {
  /** Plural resource name, e.g. "deployments". */
  resource: string;
  /** API group; "" for the core group. */
  group: string;
  /** Undefined for cluster-scoped items. */
  namespace?: string;
  name: string;
}

/** `pods`, `deployments.apps`, `certificates.cert-manager.io`. */
export function groupResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

function scopePath(ref: ItemRef): string {
  return ref.namespace !== undefined ? `namespaces/${ref.namespace}/${ref.name}` : `cluster/${ref.name}`;
}

/** Where an item lives; `encrypted` adds the age suffix. */
export function itemPath(ref: ItemRef, encrypted = false): string {
  assertSegment(ref.resource, 'resource');
  if (ref.group) assertSegment(ref.group, 'group');
  if (ref.namespace !== undefined) assertSegment(ref.namespace, 'namespace');
  assertSegment(ref.name, 'name');
  return `resources/${groupResource(ref.resource, ref.group)}/${scopePath(ref)}.json${encrypted ? ENCRYPTED_SUFFIX : ''}`;
}

/** Velero's copy of the item under its preferred version directory. */
export function preferredVersionPath(ref: ItemRef, version: string, encrypted = false): string {
  assertSegment(version, 'version');
  return `resources/${groupResource(ref.resource, ref.group)}/${version}-preferredversion/${scopePath(ref)}.json${encrypted ? ENCRYPTED_SUFFIX : ''}`;
}

export interface ParsedItemPath {
  groupResource: string;
  namespace?: string;
  name: string;
  encrypted: boolean;
}

/** The primary item entries (not the preferred-version copies); undefined for anything else. */
export function parseItemPath(path: string): ParsedItemPath | undefined {
  const m = /^resources\/([^/]+)\/(?:namespaces\/([^/]+)|cluster)\/([^/]+)\.json(\.age)?$/.exec(path);
  if (!m) return undefined;
  return { groupResource: m[1]!, namespace: m[2], name: m[3]!, encrypted: m[4] !== undefined };
}

export type AwsService = 'sqs' | 'dynamodb' | 's3';

export const awsPaths = {
  sqsQueue: (queue: string) => `aws/sqs/${seg(queue)}/queue.json`,
  sqsMessages: (queue: string) => `aws/sqs/${seg(queue)}/messages.jsonl`,
  dynamoTable: (table: string) => `aws/dynamodb/${seg(table)}/table.json`,
  dynamoItems: (table: string) => `aws/dynamodb/${seg(table)}/items.jsonl`,
  s3Bucket: (bucket: string) => `aws/s3/${seg(bucket)}/bucket.json`,
  s3Objects: (bucket: string) => `aws/s3/${seg(bucket)}/objects.jsonl`,
  s3ObjectData: (bucket: string, index: number) => `aws/s3/${seg(bucket)}/data/${index}`,
};

function seg(value: string): string {
  assertSegment(value, 'AWS resource name');
  return value;
}

/** A single path segment: no separators, no dot-only names, nothing that could climb out. */
function assertSegment(value: string, what: string): void {
  if (!value || value === '.' || value === '..' || /[/\\\0]/.test(value)) {
    throw new Error(`Invalid ${what} for a snapshot path: ${JSON.stringify(value)}`);
  }
}

/**
 * True when an archive entry path stays inside the archive: relative, forward slashes,
 * no `.`/`..` segments, no empty segments, no NUL, no drive letters.
 */
export function isSafeEntryPath(path: string): boolean {
  if (!path || path.length > 4096) return false;
  if (path.startsWith('/') || path.includes('\\') || path.includes('\0') || /^[A-Za-z]:/.test(path)) return false;
  const parts = path.split('/');
  return parts.every((p) => p !== '' && p !== '.' && p !== '..');
}
