// Helpers for the drill integration tests: the real local environment, fixture namespaces and AWS resources of
// each test's own (unique names), recovery points taken with the real snapshot engine, and "broken" copies of
// them re-signed after an edit (an entry removed or cut short, the manifest's checksums recomputed).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateListQueues } from '@aws-sdk/client-sqs';
import { paginateListTables } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { createAwsClients, type AwsClients, type AwsEndpoint } from '../../../src/core/aws/clients';
import { loadKubeConfig } from '../../../src/core/kube/kubeconfig';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import { createSnapshot, type CreateSnapshotOptions, type SnapshotManifest } from '../../../src/core/snapshot';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { DRILL_LABEL } from '../../../src/core/drill';
import { awsEndpointUrl, awsRegion, kubeconfigPath, uniqueName } from '../../support/env';

export const CONTEXT = 'drydock-local';
export const endpoint: AwsEndpoint = { url: awsEndpointUrl(), region: awsRegion };

export async function liveEnv(): Promise<{ kube: KubeRawClient; aws: AwsClients }> {
  const kube = new KubeRawClient(loadKubeConfig([kubeconfigPath()]), CONTEXT);
  try {
    await kube.request('GET', '/version');
  } catch (error) {
    throw new Error(
      `The local environment is not running (${(error as Error).message}). Start it with \`npm run env:up\`.`,
      {
        cause: error,
      },
    );
  }
  return { kube, aws: createAwsClients(endpoint) };
}

export function kubeOptions() {
  return { kubeConfig: loadKubeConfig([kubeconfigPath()]), context: CONTEXT };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** A namespace of the test's own with the given objects (namespace filled in). */
export async function createFixtureNamespace(
  kube: KubeRawClient,
  prefix: string,
  objects: Array<{ path: string; body: KubeObject }>,
): Promise<string> {
  const ns = uniqueName(prefix);
  await kube.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { 'drydock.dev/test': 'drill' } },
  });
  for (const o of objects) {
    await kube.request('POST', o.path.replace('{ns}', ns), {
      ...o.body,
      metadata: { ...o.body.metadata, namespace: ns },
    });
  }
  return ns;
}

export async function deleteNamespace(kube: KubeRawClient, ns: string): Promise<void> {
  await kube.request('DELETE', `/api/v1/namespaces/${ns}`).catch((e: unknown) => {
    if (!(KubeApiError.is(e) && e.statusCode === 404)) throw e;
  });
}

export async function waitFor<T>(
  check: () => Promise<T | false | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== false && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export const deployment = (name: string, podSpec: Record<string, unknown>): { path: string; body: KubeObject } => ({
  path: '/apis/apps/v1/namespaces/{ns}/deployments',
  body: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name, image: 'registry.local/drill/app:1' }], ...podSpec },
      },
    },
  },
});

/** A recovery point taken with the real engine (secrets in plain text: these fixtures hold no real secrets). */
export async function takeRecoveryPoint(
  dir: string,
  name: string,
  o: Omit<CreateSnapshotOptions, 'target' | 'secrets' | 'toolVersion'>,
): Promise<string> {
  const target = join(dir, name);
  // Other suites snapshot the shared sample queues too; a capture that meets their in-flight messages is retried.
  for (let attempt = 1; ; attempt++) {
    try {
      await createSnapshot({ ...o, target, secrets: 'plain', toolVersion: 'test' });
      return target;
    } catch (error) {
      if (attempt >= 4 || !/in flight/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }
}

export function manifestOf(rp: string): SnapshotManifest {
  return JSON.parse(readFileSync(join(rp, 'drydock', 'manifest.json'), 'utf8')) as SnapshotManifest;
}

/**
 * A copy of a recovery point with entries removed or rewritten and the manifest re-signed, as a damaged or
 * incomplete backup would be: it passes validation, so what the drill finds is what was really lost.
 */
export function brokenCopy(
  source: string,
  target: string,
  edit: { remove?: (path: string) => boolean; rewrite?: Record<string, (text: string) => string> },
): string {
  cpSync(source, target, { recursive: true });
  const manifestFile = join(target, 'drydock', 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    entries: Record<string, { sha256: string; size: number }>;
  };
  for (const path of Object.keys(manifest.entries)) {
    if (edit.remove?.(path)) {
      rmSync(join(target, path));
      delete manifest.entries[path];
      continue;
    }
    const fn = edit.rewrite?.[path];
    if (!fn) continue;
    const text = fn(readFileSync(join(target, path), 'utf8'));
    writeFileSync(join(target, path), text);
    manifest.entries[path] = { sha256: createHash('sha256').update(text).digest('hex'), size: Buffer.byteLength(text) };
  }
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return target;
}

/** What a drill run left behind: labelled namespaces and volumes, AWS resources with its prefix. */
export async function leftoversOf(kube: KubeRawClient, aws: AwsClients, runId: string): Promise<string[]> {
  const out: string[] = [];
  for (const path of ['/api/v1/namespaces', '/api/v1/persistentvolumes']) {
    const list = await kube.list(path, { query: { labelSelector: `${DRILL_LABEL}=${runId}` } });
    for (const item of list.items as KubeObject[]) out.push(`${path}/${item.metadata?.name}`);
  }
  const prefix = `drill-${runId}-`;
  for await (const page of paginateListQueues({ client: aws.sqs }, { QueueNamePrefix: prefix }))
    out.push(...(page.QueueUrls ?? []));
  for await (const page of paginateListTables({ client: aws.dynamodb }, {}))
    out.push(...(page.TableNames ?? []).filter((t) => t.startsWith(prefix)));
  out.push(
    ...((await aws.s3.send(new ListBucketsCommand({}))).Buckets ?? [])
      .map((b) => b.Name ?? '')
      .filter((b) => b.startsWith(prefix)),
  );
  return out;
}
