import type { ManifestAuthenticator } from './manifestAuthenticator';
import { SnapshotInvalidError } from './snapshotErrors';
import { isSafeEntryPath, MANIFEST_PATH } from './layout';

/** Bumped when a reader of the previous version could misread a new snapshot. */
export const MANIFEST_SCHEMA_VERSION = 1;
export const MANIFEST_KIND = 'drydock-snapshot';

export interface EntryDigest {
  sha256: string;
  size: number;
}

export interface CapturedResourceType {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  count: number;
}

export interface SkippedItem {
  resource: string;
  group: string;
  namespace?: string;
  name: string;
  reason: string;
  /**
   * Set when the tool that made the backup reported this as not in it (`Velero`: volume data it skipped or holds in
   * a file-system backup or volume snapshot, item operations, errors); unset for what Drydock's own policy skips.
   */
  reportedBy?: string;
}

export interface SqsQueueSummary {
  name: string;
  url: string;
  arn?: string;
  messages: number;
}
export interface DynamoTableSummary {
  name: string;
  arn?: string;
  items: number;
}
export interface S3BucketSummary {
  name: string;
  objects: number;
  bytes: number;
}

export interface SnapshotManifest {
  kind: typeof MANIFEST_KIND;
  schemaVersion: number;
  createdAt: string;
  tool: { name: 'drydock'; version: string };
  source: {
    kube?: { context: string; server: string; namespaces: string[] };
    aws?: { endpoint: string; region: string };
  };
  /** recipient: the age public key Secrets are encrypted to; keyEntry: that key's identity, wrapped with the passphrase. */
  encryption: { secrets: 'age' | 'none'; keyEntry?: string; recipient?: string };
  /** Made with a key: an HMAC over this manifest under a key derived from the snapshot key (manifestAuthenticator.ts). */
  authenticator?: ManifestAuthenticator;
  counts: {
    items: number;
    skipped: number;
    secrets: number;
    sqsMessages: number;
    dynamodbItems: number;
    s3Objects: number;
    s3Bytes: number;
  };
  resources: CapturedResourceType[];
  skipped: SkippedItem[];
  aws: { sqs: SqsQueueSummary[]; dynamodb: DynamoTableSummary[]; s3: S3BucketSummary[] };
  /** Every other entry of the snapshot, with its sha256: extra or missing entries make it invalid. */
  entries: Record<string, EntryDigest>;
}

const SHA256 = /^[0-9a-f]{64}$/;

function fail(message: string): never {
  throw new SnapshotInvalidError('manifest', message, MANIFEST_PATH);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks a manifest's text; throws SnapshotInvalidError naming what is wrong. */
export function parseManifest(text: string): SnapshotManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    fail(`The manifest is not valid JSON (${(error as Error).message}).`);
  }
  return validateManifest(raw);
}

export function validateManifest(raw: unknown): SnapshotManifest {
  if (!isObject(raw)) fail('The manifest is not a JSON object.');
  if (raw.kind !== MANIFEST_KIND) fail(`The manifest kind is ${JSON.stringify(raw.kind)}, not "${MANIFEST_KIND}".`);
  if (typeof raw.schemaVersion !== 'number' || !Number.isInteger(raw.schemaVersion))
    fail('The manifest has no integer schemaVersion.');
  if (raw.schemaVersion > MANIFEST_SCHEMA_VERSION || raw.schemaVersion < 1) {
    throw new SnapshotInvalidError(
      'schema',
      `Snapshot schema version ${raw.schemaVersion} is not supported (this Drydock reads version ${MANIFEST_SCHEMA_VERSION}); use a newer Drydock.`,
      MANIFEST_PATH,
    );
  }
  if (typeof raw.createdAt !== 'string' || Number.isNaN(Date.parse(raw.createdAt)))
    fail('The manifest has no valid createdAt time.');
  if (!isObject(raw.encryption) || (raw.encryption.secrets !== 'age' && raw.encryption.secrets !== 'none'))
    fail('The manifest has no valid encryption section.');
  if (raw.authenticator !== undefined) {
    const a = raw.authenticator;
    if (
      !isObject(a) ||
      a.alg !== 'HMAC-SHA256' ||
      typeof a.salt !== 'string' ||
      !/^[0-9a-f]{32}$/.test(a.salt) ||
      typeof a.mac !== 'string' ||
      !/^[0-9a-f]{64}$/.test(a.mac)
    ) {
      fail('The manifest has a malformed authenticator.');
    }
  }
  if (!isObject(raw.counts)) fail('The manifest has no counts.');
  if (!Array.isArray(raw.resources) || !Array.isArray(raw.skipped))
    fail('The manifest has no resources/skipped lists.');
  if (
    !isObject(raw.aws) ||
    !Array.isArray(raw.aws.sqs) ||
    !Array.isArray(raw.aws.dynamodb) ||
    !Array.isArray(raw.aws.s3)
  )
    fail('The manifest has no valid aws section.');
  if (!isObject(raw.entries)) fail('The manifest has no entries.');
  for (const [path, digest] of Object.entries(raw.entries)) {
    if (!isSafeEntryPath(path) || path === MANIFEST_PATH) {
      throw new SnapshotInvalidError(
        'path',
        `The manifest lists an entry whose path escapes the archive or is reserved: ${JSON.stringify(path)}.`,
        path,
      );
    }
    if (
      !isObject(digest) ||
      typeof digest.sha256 !== 'string' ||
      !SHA256.test(digest.sha256) ||
      typeof digest.size !== 'number'
    ) {
      fail(`The manifest entry ${JSON.stringify(path)} has no valid sha256/size.`);
    }
  }
  if (raw.encryption.secrets === 'age') {
    const key = raw.encryption.keyEntry;
    // The passphrase-wrapped key is written with the first encrypted Secret (none: nothing to open, or
    // Secrets encrypted to an age identity the user keeps).
    if (key !== undefined && (typeof key !== 'string' || !(key in raw.entries)))
      fail(`The manifest names the key entry ${JSON.stringify(key)}, which is not in the snapshot.`);
    const recipient = raw.encryption.recipient;
    if (recipient !== undefined && (typeof recipient !== 'string' || !/^age1[0-9a-z]+$/.test(recipient)))
      fail("The manifest's encryption recipient is not an age public key.");
  }
  return raw as unknown as SnapshotManifest;
}

/** An empty manifest to fill while capturing. */
export function newManifest(toolVersion: string, createdAt = new Date()): SnapshotManifest {
  return {
    kind: MANIFEST_KIND,
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    createdAt: createdAt.toISOString(),
    tool: { name: 'drydock', version: toolVersion },
    source: {},
    encryption: { secrets: 'none' },
    counts: { items: 0, skipped: 0, secrets: 0, sqsMessages: 0, dynamodbItems: 0, s3Objects: 0, s3Bytes: 0 },
    resources: [],
    skipped: [],
    aws: { sqs: [], dynamodb: [], s3: [] },
    entries: {},
  };
}
