/**
 * Reads the shared real-world corpus (../shared/corpus, see its SOURCES.md) into what the corpus round
 * trips load: Kubernetes objects per test namespace, DynamoDB tables with their items, SQS messages and
 * S3 objects. Everything the corpus holds that cannot be loaded as-is is listed in `exclusions` with the
 * reason — nothing is dropped silently.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';

export interface Exclusion {
  file: string;
  what: string;
  reason: string;
}

/** The three test namespaces the Kubernetes corpus is spread over (names collide across groups). */
export type CorpusNs = 'boutique' | 'guestbook' | 'misc';

export interface CorpusObject {
  file: string;
  obj: KubeObject;
}

export interface KubeCorpus {
  crds: CorpusObject[];
  objects: Record<CorpusNs, CorpusObject[]>;
  /** A corpus Namespace object whose labels/annotations the test namespace takes (its hard-coded name replaced). */
  namespaceObjects: Partial<Record<CorpusNs, CorpusObject>>;
  /** Objects that appear twice in the corpus, byte-for-byte the same object (asserted): loaded once. */
  duplicates: Array<{ file: string; what: string; sameAs: string }>;
  exclusions: Exclusion[];
  /** Hard-coded `metadata.namespace` values replaced by the test namespace (never write to `default`). */
  namespaceOverrides: Array<{ file: string; what: string; from: string }>;
}

const rel = (root: string, f: string) => path.relative(root, f);

function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    })
    .sort();
}

function yamlObjects(file: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    const o = doc.toJS() as KubeObject | null;
    if (!o) continue;
    // `kind: List` (misc/kubernetes-website/policy/quota.yaml) is a client-side wrapper: its items are the objects.
    if (o.kind === 'List' && Array.isArray(o.items)) out.push(...(o.items as KubeObject[]));
    else out.push(o);
  }
  return out;
}

const describe = (o: KubeObject) => `${o.apiVersion} ${o.kind} ${(o.metadata as { name?: string } | undefined)?.name}`;

/** Which test namespace each corpus file goes to (names collide between groups, e.g. three `frontend`s). */
function targetOf(file: string): CorpusNs {
  if (file.startsWith('online-boutique/') || file.startsWith('crds/')) return 'boutique';
  // Its Deployment differs from the all-in-one's (container "slave" vs "replica") under the same name.
  if (file === 'guestbook/kubernetes-examples/redis-replica-deployment.yaml') return 'boutique';
  if (file.startsWith('guestbook/kubernetes-examples/')) return 'guestbook';
  // Same name (zk-pdb) as the PDB inside zookeeper.yaml, which goes to "misc".
  if (file === 'misc/kubernetes-website/policy/zookeeper-pod-disruption-budget-minavailable.yaml') return 'guestbook';
  // with-pv.yaml and base.yaml both define Deployment nginx-deployment and Service my-nginx, differently.
  if (file === 'misc/velero/with-pv.yaml') return 'guestbook';
  return 'misc';
}

export function loadKubeCorpus(corpus: string): KubeCorpus {
  const root = path.join(corpus, 'k8s');
  const result: KubeCorpus = {
    crds: [],
    objects: { boutique: [], guestbook: [], misc: [] },
    namespaceObjects: {},
    duplicates: [],
    exclusions: [],
    namespaceOverrides: [],
  };
  // All-in-one files first, so the separate files are the ones found to be duplicates.
  const files = walk(root)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => rel(root, f))
    .sort((a, b) => Number(!a.includes('all-in-one')) - Number(!b.includes('all-in-one')) || a.localeCompare(b));
  for (const file of files) {
    for (const obj of yamlObjects(path.join(root, file))) {
      const what = describe(obj);
      if (obj.apiVersion === 'batch/v1beta1') {
        result.exclusions.push({
          file,
          what,
          reason:
            'batch/v1beta1 was removed in Kubernetes 1.25; the 1.33 API server does not serve it (the batch/v1 CronJobs of misc/gke-samples/scheduled-autoscale-example.yaml are loaded instead)',
        });
        continue;
      }
      if (obj.kind === 'CustomResourceDefinition') {
        result.crds.push({ file, obj });
        continue;
      }
      const ns = targetOf(file);
      if (obj.kind === 'Namespace') {
        const prev = result.namespaceObjects[ns];
        if (prev) throw new Error(`two Namespace objects for ${ns}: ${prev.file} and ${file}`);
        result.namespaceObjects[ns] = { file, obj };
        continue;
      }
      const meta = (obj.metadata ??= {}) as { name?: string; namespace?: string };
      if (meta.namespace) {
        result.namespaceOverrides.push({ file, what, from: meta.namespace });
        delete meta.namespace;
      }
      const list = result.objects[ns];
      const same = list.find(
        (o) =>
          o.obj.kind === obj.kind &&
          o.obj.apiVersion === obj.apiVersion &&
          (o.obj.metadata as { name?: string }).name === meta.name,
      );
      if (same) {
        if (!isDeepStrictEqual(same.obj, obj))
          throw new Error(`${file}: ${what} collides with a different object of ${same.file} in namespace group ${ns}`);
        result.duplicates.push({ file, what, sameAs: same.file });
        continue;
      }
      list.push({ file, obj });
    }
  }
  return result;
}

/** The `kubectl get -o json` dumps (misc k9s GKE dumps and kubernetes/api "every field" fixtures). */
export function liveDumps(corpus: string): Array<{ file: string; obj: KubeObject }> {
  const root = path.join(corpus, 'k8s', 'live-dumps');
  return walk(root)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: rel(root, f), obj: JSON.parse(readFileSync(f, 'utf8')) as KubeObject }));
}

// ---------------------------------------------------------------- DynamoDB

export interface DynamoCorpusTable {
  /** Where the table and its items come from. */
  source: string;
  /** The corpus table name; the test creates `<prefix>-<name>`. */
  name: string;
  keySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  attributeDefinitions: Array<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  globalSecondaryIndexes?: Array<{
    IndexName: string;
    KeySchema: Array<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
    Projection: { ProjectionType: 'ALL' };
  }>;
  /** Items in DynamoDB JSON exactly as the corpus writes them (binary as base64). */
  items: Array<Record<string, DynamoJson>>;
}

export type DynamoJson = Record<string, unknown>;

/** DynamoDB JSON (base64 binaries) → SDK AttributeValue (bytes). */
export function toAttributeValue(v: DynamoJson): AttributeValue {
  const [type, value] = Object.entries(v)[0]!;
  switch (type) {
    case 'B':
      return { B: new Uint8Array(Buffer.from(value as string, 'base64')) };
    case 'BS':
      return { BS: (value as string[]).map((s) => new Uint8Array(Buffer.from(s, 'base64'))) };
    case 'M':
      return {
        M: Object.fromEntries(
          Object.entries(value as Record<string, DynamoJson>).map(([k, x]) => [k, toAttributeValue(x)]),
        ),
      };
    case 'L':
      return { L: (value as DynamoJson[]).map(toAttributeValue) };
    default:
      return { [type]: value } as unknown as AttributeValue;
  }
}

function batchWriteItems(file: string): Record<string, Array<Record<string, DynamoJson>>> {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<
    string,
    Array<{ PutRequest: { Item: Record<string, DynamoJson> } }>
  >;
  return Object.fromEntries(Object.entries(doc).map(([t, reqs]) => [t, reqs.map((r) => r.PutRequest.Item)]));
}

interface WorkbenchKey {
  PartitionKey: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' };
  SortKey?: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' };
}

function keyParts(k: WorkbenchKey) {
  const keySchema: DynamoCorpusTable['keySchema'] = [{ AttributeName: k.PartitionKey.AttributeName, KeyType: 'HASH' }];
  const defs = [k.PartitionKey];
  if (k.SortKey) {
    keySchema.push({ AttributeName: k.SortKey.AttributeName, KeyType: 'RANGE' });
    defs.push(k.SortKey);
  }
  return { keySchema, defs };
}

export function loadDynamoCorpus(corpus: string): { tables: DynamoCorpusTable[]; exclusions: Exclusion[] } {
  const dir = path.join(corpus, 'aws', 'dynamodb');
  const tables: DynamoCorpusTable[] = [];
  const exclusions: Exclusion[] = [];

  // Developer-guide tables (definitions derived in tables.derived.json) with their BatchWriteItem files.
  const derived = JSON.parse(readFileSync(path.join(dir, 'developer-guide', 'tables.derived.json'), 'utf8')) as {
    Tables: Array<Record<string, unknown>>;
  };
  const itemFiles = [
    'aws-doc-sdk-examples/ProductCatalog.json',
    'aws-doc-sdk-examples/Forum.json',
    'developer-guide/Thread.extracted.json',
    'developer-guide/Reply.extracted.json',
  ];
  const itemsByTable = Object.assign({}, ...itemFiles.map((f) => batchWriteItems(path.join(dir, f)))) as Record<
    string,
    Array<Record<string, DynamoJson>>
  >;
  for (const t of derived.Tables) {
    const name = t.TableName as string;
    tables.push({
      source: `developer-guide/tables.derived.json + ${itemFiles.find((f) => f.includes(name))}`,
      name,
      keySchema: t.KeySchema as DynamoCorpusTable['keySchema'],
      attributeDefinitions: t.AttributeDefinitions as DynamoCorpusTable['attributeDefinitions'],
      globalSecondaryIndexes: (t.GlobalSecondaryIndexes as DynamoCorpusTable['globalSecondaryIndexes']) ?? undefined,
      items: itemsByTable[name] ?? [],
    });
  }

  // NoSQL Workbench models: table definition, GSIs and items together.
  for (const f of [
    'amazon-dynamodb-labs/CartModel.json',
    'amazon-dynamodb-labs/BankModel.json',
    'amazon-dynamodb-labs/Hotel Reservations.json',
  ]) {
    const model = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as {
      DataModel: Array<{
        TableName: string;
        KeyAttributes: WorkbenchKey;
        GlobalSecondaryIndexes?: Array<{ IndexName: string; KeyAttributes: WorkbenchKey }>;
        TableData?: Array<Record<string, DynamoJson>>;
      }>;
    };
    for (const t of model.DataModel) {
      const { keySchema, defs } = keyParts(t.KeyAttributes);
      const gsis = (t.GlobalSecondaryIndexes ?? []).map((g) => {
        const k = keyParts(g.KeyAttributes);
        defs.push(...k.defs);
        return { IndexName: g.IndexName, KeySchema: k.keySchema, Projection: { ProjectionType: 'ALL' as const } };
      });
      const unique = [...new Map(defs.map((d) => [d.AttributeName, d])).values()];
      tables.push({
        source: f,
        name: t.TableName,
        keySchema,
        attributeDefinitions: unique,
        globalSecondaryIndexes: gsis.length ? gsis : undefined,
        items: t.TableData ?? [],
      });
    }
  }

  // global-serverless sample data: BatchWriteItem for a PK/SK table.
  for (const [name, items] of Object.entries(
    batchWriteItems(path.join(dir, 'amazon-dynamodb-labs', 'sample-data.json')),
  )) {
    tables.push({
      source: 'amazon-dynamodb-labs/sample-data.json',
      name,
      keySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      attributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      items,
    });
  }

  // Stream-event images (every attribute type): each NewImage/OldImage becomes one item keyed by where it came from
  // (both aws-lambda-go records have the same key, so the images' own keys would overwrite each other).
  const images: Array<Record<string, DynamoJson>> = [];
  for (const f of ['aws-lambda-go/dynamodb-event.json', 'powertools-lambda-python/dynamoStreamEvent.json']) {
    const ev = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as {
      Records: Array<{ dynamodb: Record<string, Record<string, DynamoJson> | undefined> }>;
    };
    ev.Records.forEach((r, i) => {
      for (const image of ['NewImage', 'OldImage']) {
        const img = r.dynamodb[image];
        if (!img) continue;
        const item: Record<string, DynamoJson> = { corpusId: { S: `${f}#${i}#${image}` } };
        for (const [k, v] of Object.entries(img)) {
          const [type, value] = Object.entries(v)[0]!;
          if (['SS', 'NS', 'BS'].includes(type) && (value as unknown[]).length === 0) {
            exclusions.push({
              file: f,
              what: `Records[${i}].dynamodb.${image}.${k} (${type}: [])`,
              reason:
                'DynamoDB (and moto) reject an empty set ("An string set may not be empty"); the rest of the image is loaded',
            });
            continue;
          }
          item[k] = v;
        }
        images.push(item);
      }
    });
  }
  // SOURCES.md "Gap": no public file has 38-digit or extreme-exponent numbers; these are synthesised, as it suggests.
  images.push({
    corpusId: { S: 'synthesised#extreme-numbers' },
    n38: { N: '12345678901234567890123456789012345678' },
    huge: { N: '1E+125' },
    tiny: { N: '-1E-130' },
    trailingZero: { N: '1.50' },
    ns: { NS: ['1E+125', '-1E-130', '0.10'] },
  });
  tables.push({
    source:
      'aws-lambda-go/dynamodb-event.json + powertools-lambda-python/dynamoStreamEvent.json (+ synthesised numbers)',
    name: 'StreamImages',
    keySchema: [{ AttributeName: 'corpusId', KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: 'corpusId', AttributeType: 'S' }],
    items: images,
  });

  exclusions.push(
    {
      file: 'aws-lambda-go/dynamodb-event-malformed.2.json',
      what: 'whole file',
      reason: 'intentionally invalid JSON (negative test upstream); there are no items to load',
    },
    {
      file: 'localstack-snapshots/test_dynamodb.snapshot.json',
      what: 'whole file',
      reason:
        'recorded API responses normalised by localstack (placeholders, Python reprs): structure only, not loadable values',
    },
    {
      file: 'amazon-dynamodb-labs/gsi_manager.json',
      what: 'whole file',
      reason:
        'an UpdateTable GSI Create request without a table or items; GSIs are covered by the Workbench models and Reply',
    },
    {
      file: 'developer-guide/*.md',
      what: 'documentation',
      reason:
        'their ProductCatalog/Forum blocks are byte-identical to aws-doc-sdk-examples (SOURCES.md), Thread/Reply are the .extracted.json files',
    },
  );
  return { tables, exclusions };
}

// ---------------------------------------------------------------- SQS

export interface CorpusMessage {
  source: string;
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
  group?: string;
  dedup?: string;
}

/** Python bytes repr (`b'traceparent\x1e00-…'`, as localstack snapshots record binaries) → bytes. */
export function pythonBytes(repr: string): Uint8Array {
  const m = /^b(['"])(.*)\1$/s.exec(repr);
  if (!m) throw new Error(`not a Python bytes literal: ${repr}`);
  const out: number[] = [];
  const s = m[2]!;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '\\') {
      out.push(s.charCodeAt(i));
      continue;
    }
    const c = s[++i];
    if (c === 'x') {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push({ n: 10, r: 13, t: 9, '\\': 92, "'": 39, '"': 34 }[c as 'n'] ?? c!.charCodeAt(0));
  }
  return new Uint8Array(out);
}

export function loadSqsCorpus(corpus: string): {
  standard: CorpusMessage[];
  fifo: CorpusMessage[];
  exclusions: Exclusion[];
} {
  const dir = path.join(corpus, 'aws', 'sqs');
  const standard: CorpusMessage[] = [];
  const fifo: CorpusMessage[] = [];
  const exclusions: Exclusion[] = [];
  const read = (f: string) => readFileSync(path.join(dir, f), 'utf8');

  // Lambda event style (camelCase envelopes): body + messageAttributes (+ FIFO group/dedup ids).
  for (const f of [
    'aws-lambda-go/sqs-event.json',
    'powertools-lambda-python/sqsEvent.json',
    'powertools-lambda-python/snsSqsEvent.json',
    'powertools-lambda-python/s3SqsEvent.json',
    'powertools-lambda-python/sqsDlqTriggerEvent.json',
    'powertools-lambda-python/snsSqsFifoEvent.json',
  ]) {
    const ev = JSON.parse(read(f)) as {
      Records: Array<{
        body: string;
        attributes?: Record<string, string>;
        messageAttributes?: Record<
          string,
          {
            dataType: string;
            stringValue?: string;
            binaryValue?: string;
            stringListValues?: string[];
            binaryListValues?: string[];
          }
        >;
      }>;
    };
    ev.Records.forEach((r, i) => {
      const attributes: CorpusMessage['attributes'] = {};
      for (const [k, a] of Object.entries(r.messageAttributes ?? {})) {
        if (a.stringListValues?.length || a.binaryListValues?.length) {
          exclusions.push({
            file: f,
            what: `Records[${i}].messageAttributes.${k} string/binaryListValues`,
            reason:
              'SQS reserves the list value fields ("not implemented"); SendMessage refuses them. The attribute\'s scalar value is loaded',
          });
        }
        if (a.dataType.startsWith('Binary'))
          attributes[k] = {
            DataType: a.dataType,
            BinaryValue: new Uint8Array(Buffer.from(a.binaryValue ?? '', 'base64')),
          };
        else {
          if (a.binaryValue !== undefined)
            exclusions.push({
              file: f,
              what: `Records[${i}].messageAttributes.${k}.binaryValue`,
              reason: `a ${a.dataType} attribute carries only a StringValue; SendMessage refuses both at once`,
            });
          attributes[k] = { DataType: a.dataType, StringValue: a.stringValue };
        }
      }
      const msg: CorpusMessage = {
        source: `${f}#${i}`,
        body: r.body,
        attributes,
        group: r.attributes?.MessageGroupId,
        dedup: r.attributes?.MessageDeduplicationId,
      };
      (msg.group ? fifo : standard).push(msg);
    });
  }

  // AWS CLI example: send-message with its attributes file; receive-message output blocks.
  const sendAttrs = JSON.parse(read('aws-cli/send-message.extracted.json')) as Record<
    string,
    { DataType: string; StringValue?: string; BinaryValue?: string }
  >;
  const body = /--message-body "([^"]*)"/.exec(read('aws-cli/send-message.rst'))![1]!;
  standard.push({
    source: 'aws-cli/send-message.rst + send-message.extracted.json',
    body,
    // "Hello, World!" is not base64 (SOURCES.md): it is sent as its UTF-8 bytes, as AWS CLI v1 treated blob arguments.
    attributes: Object.fromEntries(
      Object.entries(sendAttrs).map(([k, a]) => [
        k,
        a.DataType === 'Binary'
          ? { DataType: a.DataType, BinaryValue: new Uint8Array(Buffer.from(a.BinaryValue!, 'utf8')) }
          : { DataType: a.DataType, StringValue: a.StringValue },
      ]),
    ),
  });
  exclusions.push({
    file: 'aws-cli/send-message.rst',
    what: '--delay-seconds 10',
    reason:
      'a delayed message is invisible when the snapshot is taken (the engine warns and cannot capture it yet); sent without delay',
  });
  const rst = read('aws-cli/receive-message.rst');
  for (const block of rst.split('Output::').slice(1)) {
    const json = block
      .split('\n')
      .filter((l) => l.startsWith('  ') || l.trim() === '')
      .join('\n')
      .trim();
    const out = JSON.parse(json.slice(0, json.lastIndexOf('}') + 1)) as {
      Messages: Array<{ Body: string; MessageAttributes?: Record<string, { DataType: string; StringValue?: string }> }>;
    };
    for (const m of out.Messages)
      standard.push({
        source: 'aws-cli/receive-message.rst',
        body: m.Body,
        attributes: { ...(m.MessageAttributes ?? {}) },
      });
  }

  // localstack's recorded SQS responses: every distinct (body, attributes) pair.
  const snap = JSON.parse(read('localstack-snapshots/test_sqs.snapshot.json')) as unknown;
  const seen = new Set<string>();
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.Body === 'string' && ('MessageId' in o || 'ReceiptHandle' in o)) {
      const attrs = (o.MessageAttributes ?? {}) as Record<string, unknown>;
      const sys = (o.Attributes ?? {}) as Record<string, string>;
      const key = JSON.stringify([o.Body, attrs, sys.MessageGroupId ?? null]);
      if (!seen.has(key)) {
        seen.add(key);
        const attributes: CorpusMessage['attributes'] = {};
        for (const [k, a] of Object.entries(attrs)) {
          if (!a || typeof a !== 'object') {
            exclusions.push({
              file: 'localstack-snapshots/test_sqs.snapshot.json',
              what: `MessageAttributes.${k} = ${JSON.stringify(a)}`,
              reason: 'a localstack placeholder, not a MessageAttributeValue',
            });
            continue;
          }
          const v = a as { DataType: string; StringValue?: string; BinaryValue?: string };
          attributes[k] = v.DataType.startsWith('Binary')
            ? { DataType: v.DataType, BinaryValue: pythonBytes(v.BinaryValue!) }
            : { DataType: v.DataType, StringValue: v.StringValue };
        }
        const msg: CorpusMessage = {
          source: 'localstack-snapshots/test_sqs.snapshot.json',
          body: o.Body,
          attributes,
          group: sys.MessageGroupId,
          dedup: sys.MessageDeduplicationId,
        };
        (msg.group ? fifo : standard).push(msg);
      }
    }
    Object.values(o).forEach(visit);
  };
  visit(snap);

  // Event documents that travel as SQS bodies (EventBridge, SNS, S3 notifications): the whole file, byte for byte.
  for (const f of [
    'aws-lambda-go/sns-event.json',
    'aws-lambda-go/s3-event.json',
    'aws-lambda-go/s3-event-with-decoded.json',
    'aws-lambda-go/autoscaling-event-launch-successful.json',
    'aws-lambda-go/codebuild-state-change.json',
    'powertools-lambda-python/eventBridgeEvent.json',
    'powertools-lambda-python/s3EventBridgeNotificationObjectCreatedEvent.json',
    'powertools-lambda-python/s3Event.json',
    'powertools-lambda-python/s3EventDecodedKey.json',
    'powertools-lambda-python/snsEvent.json',
  ]) {
    standard.push({
      source: f,
      body: read(f),
      attributes: { 'corpus-file': { DataType: 'String.path', StringValue: f } },
    });
  }
  exclusions.push({
    file: 'localstack-snapshots/test_sns.snapshot.json, test_s3_notifications_*.snapshot.json',
    what: 'whole files',
    reason:
      'SNS/S3-notification API recordings normalised by localstack; the SQS envelopes they describe are covered by the powertools/aws-lambda-go files',
  });
  return { standard, fifo, exclusions };
}

// ---------------------------------------------------------------- S3

export interface CorpusS3Object {
  key: string;
  body: Uint8Array;
  contentType?: string;
  metadata?: Record<string, string>;
  sha256?: string;
}

/** RFC 2047 B-encoding for a non-ASCII header value (HTTP headers cannot carry it raw; SDKs encode it like this). */
export function rfc2047(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

export function loadS3Corpus(corpus: string): { objects: CorpusS3Object[]; exclusions: Exclusion[] } {
  const dir = path.join(corpus, 'aws', 's3');
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    objects: Array<{ key: string; file: string; contentType: string; sha256: string }>;
    inlineObjects: Array<{ key: string; keyUtf8Hex: string; bodyBase64: string; metadata?: Record<string, string> }>;
  };
  const objects: CorpusS3Object[] = manifest.objects.map((o) => ({
    key: o.key,
    body: new Uint8Array(readFileSync(path.join(dir, o.file))),
    contentType: o.contentType,
    sha256: o.sha256,
  }));
  for (const o of manifest.inlineObjects) {
    if (Buffer.from(o.key, 'utf8').toString('hex') !== o.keyUtf8Hex)
      throw new Error(`manifest key ${o.key} does not match its keyUtf8Hex`);
    objects.push({
      key: o.key,
      body: new Uint8Array(Buffer.from(o.bodyBase64, 'base64')),
      metadata: o.metadata && Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [k, rfc2047(v)])),
    });
  }
  const exclusions: Exclusion[] = [
    {
      file: 'manifest.json',
      what: 'inline metadata values with non-ASCII characters',
      reason:
        "sent RFC 2047 B-encoded (=?UTF-8?B?…?=) as on the wire; Node's HTTP client refuses raw non-Latin-1 header values. The restored value must equal the encoded one",
    },
    {
      file: 'localstack-snapshots/test_s3_list_operations.snapshot.json',
      what: 'whole file',
      reason: 'recorded list responses (normalised); its keys are covered by manifest.json',
    },
  ];
  return { objects, exclusions };
}
