/**
 * Round trips of the shared real-world corpus (../shared/corpus, SOURCES.md) on the real local environment:
 * load it (Online Boutique, guestbooks, cert-manager / CloudNativePG / prometheus-operator CRDs with their
 * resources, the misc edge-case objects; DynamoDB items of every type; SQS envelopes; S3 keys with spaces
 * and unicode) → snapshot (secrets encrypted) → delete the namespaces, CRDs and AWS resources → restore →
 * everything back, compared with what the server returned before the snapshot. Then a mapped copy of one
 * namespace with prefixed AWS resources beside the original.
 *
 * What the corpus holds but cannot be loaded as-is is listed by corpusData.ts (`exclusions`) and printed.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { paginateScan, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createSnapshot, restoreSnapshot, SnapshotReader } from '../../../src/core/snapshot';
import { DrydockError } from '../../../src/core/errors';
import { sanitizeForRestore } from '../../../src/core/snapshot/sanitize';
import { jsonDiff } from '../../../src/core/snapshot/jsonDiff';
import { parseItemPath } from '../../../src/core/snapshot/layout';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { resourcePath } from '../../../src/core/kube/discovery';
import { corpusDir, repoRoot, uniqueName } from '../../support/env';
import { liveEnv, deleteNamespace, deleteQueue, deleteTable, deleteBucket, queueUrl } from './liveEnv';
import { drainQueue, bucketContents, type CapturedMessage } from './compare';
import { loadKubeCorpus, loadDynamoCorpus, loadSqsCorpus, loadS3Corpus, liveDumps, type CorpusNs } from './corpusData';
import {
  KindResolver,
  createObject,
  waitCrdEstablished,
  deleteCrd,
  exists,
  settledListing,
  createCorpusTable,
  canonicalItem,
  canonicalScan,
  createCorpusQueue,
  expectedMessage,
  createCorpusBucket,
  itemKey,
  type LiveItem,
} from './corpusLive';

const passphrase = 'corpus round trip — päss phrase';
const corpus = corpusDir();
const expectedCorpusPath = process.env.DRYDOCK_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');

/** Why the engine may leave a captured object out of the restore (each must be recorded, with its reason). */
const ALLOWED_SKIPS: RegExp[] = [
  /^events are history/,
  /^owned by \w+\/[\w.-]+, which recreates it$/,
  /^completed job$/,
  /^created by the cluster in every namespace$/,
  /^maintained by the endpoints controller/,
  /^maintained by /,
  /^service account token created by the cluster/,
];

const sortMessages = (ms: CapturedMessage[]) =>
  [...ms].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

async function scanCanonical(aws: Awaited<ReturnType<typeof liveEnv>>['aws'], table: string): Promise<string[]> {
  const items: Array<Record<string, AttributeValue>> = [];
  for await (const page of paginateScan({ client: aws.dynamodb }, { TableName: table }))
    items.push(...(page.Items ?? []));
  return canonicalScan(items);
}

test('corpus: sanitising the live `kubectl get -o json` dumps removes every server-populated field SOURCES.md lists', (t) => {
  if (!corpus) return t.skip(`corpus not found at ${expectedCorpusPath}: corpus round trips not run`);
  const dumps = liveDumps(corpus);
  assert.ok(dumps.length >= 20, `found ${dumps.length} dumps`);
  for (const { file, obj } of dumps) {
    const s = sanitizeForRestore(obj, { namespaceMap: new Map() });
    const meta = s.metadata as Record<string, unknown>;
    for (const f of [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'selfLink',
      'managedFields',
      'ownerReferences',
      'generation',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generateName',
    ]) {
      assert.equal(meta[f], undefined, `${file}: metadata.${f} kept`);
    }
    assert.equal(s.status, undefined, `${file}: status kept`);
    // What the user wrote survives: name, labels, spec.
    assert.equal(meta.name, (obj.metadata as Record<string, unknown>).name, `${file}: name`);
    assert.deepEqual(meta.labels, (obj.metadata as Record<string, unknown>).labels, `${file}: labels`);
    const spec = s.spec as Record<string, unknown> | undefined;
    if (s.kind === 'Service') {
      if ((obj.spec as Record<string, unknown>).clusterIP === 'None')
        assert.equal(spec!.clusterIP, 'None', `${file}: headless kept`);
      else assert.equal(spec!.clusterIP, undefined, `${file}: allocated clusterIP kept`);
    }
    if (s.kind === 'PersistentVolumeClaim') {
      assert.equal(spec!.volumeName, undefined, `${file}: volumeName kept`);
      assert.deepEqual(
        Object.keys(meta.annotations ?? {}).filter((a) => a.startsWith('pv.kubernetes.io/')),
        [],
        `${file}: binding annotations kept`,
      );
    }
    if (s.kind === 'Pod') assert.equal(spec!.nodeName, undefined, `${file}: nodeName kept`);
    if (s.kind === 'Job' && file.startsWith('k9s/')) {
      assert.ok(!JSON.stringify(spec).includes('controller-uid'), `${file}: generated controller-uid kept`);
    }
    if (s.kind === 'ServiceAccount')
      assert.ok(!JSON.stringify(s.secrets ?? []).includes('-token-'), `${file}: auto token secret ref kept`);
  }
});

test(
  'corpus round trip: every corpus object, item, message and byte back after snapshot → delete → restore; then a mapped copy',
  { timeout: 15 * 60_000 },
  async (t) => {
    if (!corpus) return t.skip(`corpus not found at ${expectedCorpusPath}: corpus round trips not run`);
    const kubeCorpus = loadKubeCorpus(corpus);
    const dynamo = loadDynamoCorpus(corpus);
    const sqs = loadSqsCorpus(corpus);
    const s3 = loadS3Corpus(corpus);
    for (const e of [...kubeCorpus.exclusions, ...dynamo.exclusions, ...sqs.exclusions, ...s3.exclusions])
      t.diagnostic(`excluded: ${e.file} — ${e.what}: ${e.reason}`);
    for (const d of kubeCorpus.duplicates)
      t.diagnostic(`duplicate (identical, loaded once): ${d.file} ${d.what} = ${d.sameAs}`);
    for (const o of kubeCorpus.namespaceOverrides)
      t.diagnostic(`hard-coded namespace "${o.from}" replaced by the test namespace: ${o.file} ${o.what}`);

    const { kube, aws } = await liveEnv();
    const base = uniqueName('ddc');
    const ns: Record<CorpusNs, string> = {
      boutique: `${base}-boutique`,
      guestbook: `${base}-guestbook`,
      misc: `${base}-misc`,
    };
    const namespaces = Object.values(ns);
    const copyNs = `${base}-boutique-copy`;
    const prefix = 'copy-';
    const tableName = (n: string) => `${base}-${n}`;
    const queue = `${base}-corpus`;
    const fifoQueue = `${base}-corpus.fifo`;
    const bucket = `${base}-corpus-demo-bucket`;
    const crdNames = kubeCorpus.crds.map((c) => (c.obj.metadata as { name: string }).name);
    const dir = await mkdtemp(path.join(tmpdir(), 'drydock-corpus-'));
    let installedCrds = false;
    after(async () => {
      await Promise.all([...namespaces, copyNs].map((n) => deleteNamespace(kube, n).catch(() => undefined)));
      if (installedCrds) for (const c of crdNames) await deleteCrd(kube, c, false).catch(() => undefined);
      for (const q of [queue, fifoQueue])
        for (const p of ['', prefix]) await deleteQueue(aws, p + q).catch(() => undefined);
      for (const tb of dynamo.tables) for (const p of ['', prefix]) await deleteTable(aws, p + tableName(tb.name));
      for (const p of ['', prefix]) await deleteBucket(aws, p + bucket).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      aws.destroy();
    });

    // ---- CRDs (cluster-scoped dependencies of the custom resources).
    for (const c of crdNames) {
      assert.equal(
        await exists(kube, `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c}`),
        false,
        `CRD ${c} is already installed on the local cluster; this test installs and deletes it itself`,
      );
    }
    installedCrds = true;
    const resolver = new KindResolver(kube);
    for (const c of kubeCorpus.crds) await createObject(kube, resolver, c.obj);
    await Promise.all(crdNames.map((c) => waitCrdEstablished(kube, c)));

    // ---- AWS: the corpus tables, queues and bucket.
    for (const tb of dynamo.tables) await createCorpusTable(aws, tableName(tb.name), tb);
    const queueUrlSrc = await createCorpusQueue(aws, queue, false, sqs.standard);
    const fifoUrlSrc = await createCorpusQueue(aws, fifoQueue, true, sqs.fifo);
    await createCorpusBucket(aws, bucket, s3.objects);

    // ---- Namespaces and their objects. Test wiring (not corpus): Online Boutique's cartservice is pointed at the
    // corpus AWS resources through a ConfigMap, a Secret and env values, so the snapshot finds them itself and the
    // mapped copy must rewrite them.
    const wiring = {
      QUEUE_URL: queueUrlSrc,
      FIFO_QUEUE_URL: fifoUrlSrc,
      BUCKET: bucket,
      ...Object.fromEntries(
        dynamo.tables.map((tb) => [`TABLE_${tb.name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`, tableName(tb.name)]),
      ),
    };
    const wiringObjects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'corpus-aws-wiring' }, data: wiring },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'corpus-aws-credentials' },
        type: 'Opaque',
        stringData: {
          'queue-arn': `arn:aws:sqs:us-east-1:123456789012:${queue}`,
          'bucket-arn': `arn:aws:s3:::${bucket}`,
        },
      },
    ];
    const cart = kubeCorpus.objects.boutique.find(
      (o) => o.obj.kind === 'Deployment' && (o.obj.metadata as { name: string }).name === 'cartservice',
    )!.obj;
    const cartContainer = (cart.spec as any).template.spec.containers[0] as {
      env?: Array<{ name: string; value: string }>;
    };
    cartContainer.env = [
      ...(cartContainer.env ?? []),
      { name: 'ORDERS_QUEUE_URL', value: queueUrlSrc },
      { name: 'PRODUCT_TABLE', value: tableName('ProductCatalog') },
      { name: 'ASSETS_BUCKET', value: bucket },
    ];

    for (const key of Object.keys(ns) as CorpusNs[]) {
      const nsObj = kubeCorpus.namespaceObjects[key]?.obj;
      const meta = (nsObj?.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
      await kube.request('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: ns[key],
          labels: { ...meta.labels, 'drydock-test': 'corpus' },
          annotations: meta.annotations,
        },
      });
    }
    const loadFailures: string[] = [];
    for (const key of Object.keys(ns) as CorpusNs[]) {
      const objs = [...kubeCorpus.objects[key].map((o) => o.obj), ...(key === 'boutique' ? wiringObjects : [])];
      for (const obj of objs) {
        try {
          await createObject(kube, resolver, obj, ns[key]);
        } catch (error) {
          loadFailures.push(
            `${key}: ${obj.apiVersion} ${obj.kind} ${(obj.metadata as { name: string }).name}: ${(error as Error).message}`,
          );
        }
      }
    }
    assert.deepEqual(loadFailures, [], 'every corpus object the test keeps is accepted by the API server');

    // ---- What the server holds at snapshot time, read independently of the engine.
    const before = await settledListing(kube, namespaces);
    const crdsBefore = new Map<string, KubeObject>();
    for (const c of crdNames)
      crdsBefore.set(
        c,
        await kube.request<KubeObject>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c}`),
      );
    const nsBefore = new Map<string, KubeObject>();
    for (const n of namespaces) nsBefore.set(n, await kube.request<KubeObject>('GET', `/api/v1/namespaces/${n}`));
    const sourceTables = new Map<string, string[]>();
    for (const tb of dynamo.tables) sourceTables.set(tb.name, await scanCanonical(aws, tableName(tb.name)));
    const sourceObjects = await bucketContents(aws, bucket);

    // ---- Snapshot: the three namespaces and, detected through the wiring, every corpus AWS resource.
    const archive = path.join(dir, 'corpus.tar.gz');
    const created = await createSnapshot({
      target: archive,
      kube: { client: kube, namespaces },
      aws: { clients: aws, autoDetect: true },
      secrets: { passphrase },
      toolVersion: 'corpus-test',
    });
    const m = created.manifest;
    t.diagnostic(
      `snapshot: ${m.counts.items} items (${m.counts.secrets} secrets), ${m.counts.skipped} skipped, ${m.counts.sqsMessages} messages, ${m.counts.dynamodbItems} DynamoDB items, ${m.counts.s3Objects} S3 objects / ${m.counts.s3Bytes} bytes`,
    );
    assert.deepEqual(
      created.detected,
      {
        queues: [queue, fifoQueue].sort(),
        tables: dynamo.tables.map((tb) => tableName(tb.name)).sort(),
        buckets: [bucket],
      },
      'every corpus AWS resource was found through the wiring',
    );
    assert.equal(m.counts.sqsMessages, sqs.standard.length + sqs.fifo.length);
    assert.equal(
      m.counts.dynamodbItems,
      dynamo.tables.reduce((n, tb) => n + sourceTables.get(tb.name)!.length, 0),
    );
    assert.equal(m.counts.s3Objects, s3.objects.length);
    assert.equal(
      m.counts.s3Bytes,
      s3.objects.reduce((n, o) => n + o.body.length, 0),
    );

    // Every object the server held is in the snapshot, or recorded as skipped for an allowed reason.
    const reader = await SnapshotReader.open(archive, { keySource: { passphrase } });
    const captured = new Set<string>();
    try {
      for (const p of reader.entryPaths()) {
        const parsed = parseItemPath(p);
        if (parsed)
          captured.add(`${parsed.groupResource}/${parsed.namespace ? `${parsed.namespace}/` : ''}${parsed.name}`);
      }
      assert.ok(
        [...reader.entryPaths()].some((p) => p.endsWith('.json.age')),
        'secrets are encrypted',
      );
    } finally {
      await reader.close();
    }
    const skipped = new Map(
      m.skipped.map((s) => [`${s.group ? `${s.resource}.${s.group}` : s.resource}/${s.namespace}/${s.name}`, s.reason]),
    );
    const badSkips = [...skipped].filter(([, reason]) => !ALLOWED_SKIPS.some((re) => re.test(reason)));
    assert.deepEqual(badSkips, [], 'every skip has a known reason');
    const expected: LiveItem[] = [];
    const missing: string[] = [];
    for (const item of before.values()) {
      const owned = (
        (item.obj.metadata as { ownerReferences?: Array<{ controller?: boolean }> }).ownerReferences ?? []
      ).some((o) => o.controller);
      if (captured.has(item.key)) expected.push(item);
      else if (skipped.has(item.key)) continue;
      // Controller-owned objects (pods, replica sets, revisions) come and go between the listing and the capture.
      else if (!owned) missing.push(item.key);
    }
    assert.deepEqual(missing, [], 'nothing the server held was left out without a recorded reason');
    for (const c of crdNames)
      assert.ok(
        captured.has(`customresourcedefinitions.apiextensions.k8s.io/${c}`),
        `CRD ${c} captured as a dependency`,
      );
    // Every corpus object we created is among the restorable items (none is skipped).
    for (const key of Object.keys(ns) as CorpusNs[]) {
      for (const { obj, file } of kubeCorpus.objects[key]) {
        const type = await resolver.resolve(obj.apiVersion!, obj.kind!);
        const k = itemKey(type, ns[key], (obj.metadata as { name: string }).name);
        assert.ok(
          captured.has(k) || skipped.get(k) === 'completed job',
          `${file}: ${k} is in the snapshot (skipped: ${skipped.get(k) ?? 'no'})`,
        );
        if (!captured.has(k)) t.diagnostic(`not restored by design: ${k} (${skipped.get(k)})`);
      }
    }
    t.diagnostic(
      `${expected.length} namespaced objects to compare; skipped: ${[...new Set(m.skipped.map((s) => s.reason.replace(/\/.*/, '/…')))].join('; ')}`,
    );

    const sourceStandard = sortMessages(await drainQueue(aws, queueUrlSrc));
    const sourceFifo = sortMessages(await drainQueue(aws, fifoUrlSrc));

    // ---- Delete everything.
    await Promise.all(namespaces.map((n) => deleteNamespace(kube, n, true)));
    for (const c of crdNames) await deleteCrd(kube, c, true);
    for (const q of [queue, fifoQueue]) await deleteQueue(aws, q);
    for (const tb of dynamo.tables) await deleteTable(aws, tableName(tb.name));
    await deleteBucket(aws, bucket);
    assert.equal(await queueUrl(aws, queue), undefined);
    for (const n of namespaces) assert.equal(await exists(kube, `/api/v1/namespaces/${n}`), false, `${n} is gone`);

    // ---- Restore in place. The recovery point holds CRDs (cluster-scoped): without explicit consent nothing is written.
    await assert.rejects(
      restoreSnapshot({ source: archive, keySource: { passphrase }, kube: { client: kube }, aws: { clients: aws } }),
      (e: unknown) => DrydockError.is(e, 'invalid-input') && /beyond its namespaces/.test((e as Error).message),
    );
    for (const n of namespaces)
      assert.equal(await exists(kube, `/api/v1/namespaces/${n}`), false, `${n} was not created without consent`);
    assert.equal(await queueUrl(aws, queue), undefined, 'no queue was created without consent');
    const report = await restoreSnapshot({
      source: archive,
      keySource: { passphrase },
      kube: { client: kube },
      aws: { clients: aws },
      allowBeyondNamespaces: true,
    });
    assert.deepEqual(
      report.items.filter((i) => i.outcome === 'failed').map((i) => `${i.id}: ${i.message}`),
      [],
      'no item failed',
    );
    assert.equal(report.status, 'ok');
    assert.deepEqual(
      report.items
        .filter((i) => i.outcome !== 'created' && !namespaces.some((n) => i.id === `serviceaccounts/${n}/default`))
        .map((i) => `${i.id}: ${i.outcome} ${i.message ?? ''}`),
      [],
      'everything was created anew (only the controller-made default ServiceAccounts existed)',
    );

    // Kubernetes: every object equal, after sanitising, to what the server returned before the snapshot.
    const differences: string[] = [];
    const compare = (id: string, was: KubeObject, now: KubeObject) => {
      for (const d of jsonDiff(
        sanitizeForRestore(was, { namespaceMap: new Map() }),
        sanitizeForRestore(now, { namespaceMap: new Map() }),
      ))
        differences.push(`${id}: ${d}`);
    };
    for (const c of crdNames)
      compare(
        `crd/${c}`,
        crdsBefore.get(c)!,
        await kube.request<KubeObject>('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c}`),
      );
    for (const n of namespaces)
      compare(`namespace/${n}`, nsBefore.get(n)!, await kube.request<KubeObject>('GET', `/api/v1/namespaces/${n}`));
    for (const item of expected) {
      const meta = item.obj.metadata as { name: string; namespace: string };
      try {
        compare(
          item.key,
          item.obj,
          await kube.request<KubeObject>('GET', resourcePath(item.type, meta.namespace, meta.name)),
        );
      } catch (error) {
        differences.push(`${item.key}: ${(error as Error).message}`);
      }
    }
    t.diagnostic(`compared ${expected.length + crdNames.length + namespaces.length} Kubernetes objects`);
    assert.deepEqual(differences, []);
    const secret = await kube.request<KubeObject>(
      'GET',
      `/api/v1/namespaces/${ns.boutique}/secrets/cluster-example-superuser`,
    );
    const corpusSecret = kubeCorpus.objects.boutique.find(
      (o) => o.obj.kind === 'Secret' && (o.obj.metadata as { name: string }).name === 'cluster-example-superuser',
    )!.obj;
    assert.deepEqual(secret.data, corpusSecret.data, 'the CloudNativePG secret holds the corpus bytes');

    // DynamoDB: every item, exact types, against the corpus input and the source table.
    for (const tb of dynamo.tables) {
      const restored = await scanCanonical(aws, tableName(tb.name));
      assert.deepEqual(restored, sourceTables.get(tb.name), `${tb.name}: items equal the source table's`);
      assert.deepEqual(
        restored,
        tb.items.map(canonicalItem).sort(),
        `${tb.name}: items equal the corpus (${tb.source})`,
      );
    }
    // SQS: every message with body, attributes, group and dedup ids.
    const restoredStandard = sortMessages(await drainQueue(aws, (await queueUrl(aws, queue))!));
    const restoredFifo = sortMessages(await drainQueue(aws, (await queueUrl(aws, fifoQueue))!));
    assert.deepEqual(restoredStandard, sourceStandard);
    assert.deepEqual(restoredFifo, sourceFifo);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    assert.deepEqual(
      restoredStandard,
      sortMessages(sqs.standard.map((mm) => expectedMessage(mm, false))),
      'standard queue: the corpus messages',
    );
    assert.deepEqual(
      restoredFifo,
      sortMessages(sqs.fifo.map((mm) => ({ ...expectedMessage(mm, true), dedup: mm.dedup ?? sha(mm.body) }))),
      'FIFO queue: the corpus messages, groups and dedup ids',
    );
    const fifoAttrs = (
      await aws.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: (await queueUrl(aws, fifoQueue))!, AttributeNames: ['All'] }),
      )
    ).Attributes!;
    assert.equal(fifoAttrs.FifoQueue, 'true');
    assert.equal(fifoAttrs.ContentBasedDeduplication, 'true');
    // S3: every key, byte, content type and metadata.
    const restoredObjects = await bucketContents(aws, bucket);
    assert.deepEqual(restoredObjects, sourceObjects);
    assert.deepEqual(
      restoredObjects.map((o) => ({ key: o.key, sha: o.sha, metadata: o.metadata })),
      [...s3.objects]
        .sort((a, b) => a.key.localeCompare(b.key))
        .map((o) => ({
          key: o.key,
          sha: createHash('sha256').update(o.body).digest('hex'),
          metadata: o.metadata ?? {},
        })),
      'S3: the corpus keys, bytes and metadata',
    );
    for (const o of s3.objects) {
      if (o.sha256)
        assert.equal(restoredObjects.find((r) => r.key === o.key)!.sha, o.sha256, `${o.key}: manifest sha256`);
      if (o.contentType)
        assert.equal(
          restoredObjects.find((r) => r.key === o.key)!.contentType,
          o.contentType,
          `${o.key}: content type`,
        );
    }

    // ---- A mapped copy of Online Boutique (+ the CRD resources) beside the original, with prefixed AWS resources.
    const copy = await restoreSnapshot({
      source: archive,
      keySource: { passphrase },
      kube: { client: kube, namespaceMap: new Map([[ns.boutique, copyNs]]), namespaces: [ns.boutique] },
      aws: { clients: aws, prefix },
      allowBeyondNamespaces: true,
    });
    assert.deepEqual(
      copy.items.filter((i) => i.outcome === 'failed').map((i) => `${i.id}: ${i.message}`),
      [],
    );
    assert.equal(copy.status, 'ok');
    const copyQueueUrl = (await queueUrl(aws, prefix + queue))!;
    const copyFifoUrl = (await queueUrl(aws, prefix + fifoQueue))!;
    assert.ok(copyQueueUrl && copyFifoUrl, 'prefixed queues exist');
    assert.equal(copyFifoUrl.endsWith(`${prefix}${base}-corpus.fifo`), true, 'a FIFO queue keeps .fifo last');
    const cm = await kube.request<KubeObject>('GET', `/api/v1/namespaces/${copyNs}/configmaps/corpus-aws-wiring`);
    assert.deepEqual(cm.data, {
      QUEUE_URL: copyQueueUrl,
      FIFO_QUEUE_URL: copyFifoUrl,
      BUCKET: prefix + bucket,
      ...Object.fromEntries(
        dynamo.tables.map((tb) => [
          `TABLE_${tb.name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`,
          prefix + tableName(tb.name),
        ]),
      ),
    });
    const copySecret = await kube.request<KubeObject>(
      'GET',
      `/api/v1/namespaces/${copyNs}/secrets/corpus-aws-credentials`,
    );
    const decoded = Object.fromEntries(
      Object.entries(copySecret.data as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString(),
      ]),
    );
    assert.deepEqual(decoded, {
      'queue-arn': `arn:aws:sqs:us-east-1:123456789012:${prefix}${queue}`,
      'bucket-arn': `arn:aws:s3:::${prefix}${bucket}`,
    });
    const copyCart = await kube.request<KubeObject>(
      'GET',
      `/apis/apps/v1/namespaces/${copyNs}/deployments/cartservice`,
    );
    const env = (copyCart.spec as any).template.spec.containers[0].env as Array<{ name: string; value?: string }>;
    assert.equal(env.find((e) => e.name === 'ORDERS_QUEUE_URL')!.value, copyQueueUrl);
    assert.equal(env.find((e) => e.name === 'PRODUCT_TABLE')!.value, prefix + tableName('ProductCatalog'));
    assert.equal(env.find((e) => e.name === 'ASSETS_BUCKET')!.value, prefix + bucket);
    // No original name anywhere in the copy's references (as a whole name: the prefixed ones contain it).
    const copyText = JSON.stringify([cm.data, decoded, env]);
    for (const original of [
      queueUrlSrc,
      fifoUrlSrc,
      queue,
      fifoQueue,
      bucket,
      ...dynamo.tables.map((tb) => tableName(tb.name)),
    ]) {
      const re = new RegExp(`(?<![A-Za-z0-9_.-])${original.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_-])`);
      assert.ok(!re.test(copyText), `the copy still references ${original}`);
    }
    // The copy's other objects equal the originals, namespace mapped.
    const copyDiffs: string[] = [];
    // The wiring objects were checked above: their references are meant to differ.
    const wiringKeys = new Set([
      `configmaps/${ns.boutique}/corpus-aws-wiring`,
      `secrets/${ns.boutique}/corpus-aws-credentials`,
      `deployments.apps/${ns.boutique}/cartservice`,
    ]);
    let copyCompared = 0;
    for (const item of expected) {
      const meta = item.obj.metadata as { name: string; namespace: string };
      if (meta.namespace !== ns.boutique || wiringKeys.has(item.key)) continue;
      copyCompared++;
      const map = new Map([[ns.boutique, copyNs]]);
      try {
        const live = await kube.request<KubeObject>('GET', resourcePath(item.type, copyNs, meta.name));
        for (const d of jsonDiff(
          sanitizeForRestore(item.obj, { namespaceMap: map }),
          sanitizeForRestore(live, { namespaceMap: new Map() }),
        ))
          copyDiffs.push(`${item.key}: ${d}`);
      } catch (error) {
        copyDiffs.push(`${item.key}: ${(error as Error).message}`);
      }
    }
    t.diagnostic(`compared ${copyCompared} objects of the copy with their originals`);
    assert.ok(copyCompared > 40, `compared ${copyCompared} objects of the copy`);
    assert.deepEqual(copyDiffs, []);
    for (const tb of dynamo.tables)
      assert.deepEqual(
        await scanCanonical(aws, prefix + tableName(tb.name)),
        sourceTables.get(tb.name),
        `copy of ${tb.name}`,
      );
    assert.deepEqual(
      (await bucketContents(aws, prefix + bucket)).map((o) => ({ ...o })),
      sourceObjects,
    );
    // The original is untouched and still points at the original resources.
    const origCm = await kube.request<KubeObject>(
      'GET',
      `/api/v1/namespaces/${ns.boutique}/configmaps/corpus-aws-wiring`,
    );
    assert.equal((origCm.data as Record<string, string>).QUEUE_URL, queueUrlSrc);
  },
);
