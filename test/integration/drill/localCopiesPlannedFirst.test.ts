// A drill that adapts a recovery point plans the local AWS copies of the production resources its objects reference
// with the rest of its plan: a copy whose local name the emulator would refuse fails the drill before its scratch
// namespace (or anything else) is created.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { DRILL_LABEL, runDrill } from '../../../src/core/drill';
import { newRunId } from '../../../src/core/drill/scratchNames';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import {
  createFixtureNamespace,
  deleteNamespace,
  endpoint,
  kubeOptions,
  leftoversOf,
  liveEnv,
  takeRecoveryPoint,
  tempDir,
} from './drillEnv';

const env = liveEnv();
const dir = tempDir('drill-copies-first');
let ns: string;
let rp: string;
// A real SQS name may be 80 characters; with the drill's prefix its local copy's name would be longer than SQS allows.
const longQueue = `orders-${'x'.repeat(70)}`;

before(async () => {
  const { kube } = await env;
  ns = await createFixtureNamespace(kube, 'drill-copies', [
    {
      path: '/api/v1/namespaces/{ns}/configmaps',
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'app-config' },
        data: { QUEUE_URL: `https://sqs.eu-west-1.amazonaws.com/123456789012/${longQueue}` },
      },
    },
  ]);
  rp = await takeRecoveryPoint(dir, 'copies', { kube: { client: kube, namespaces: [ns] } });
});

after(async () => {
  const { kube, aws } = await env;
  await deleteNamespace(kube, ns);
  aws.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('an invalid local AWS copy name fails the drill in its plan, with no namespace ever created', async () => {
  const { kube, aws } = await env;
  const runId = newRunId();
  // Every namespace the drill creates carries its run label: watch for one from before the drill starts.
  const list = await kube.list('/api/v1/namespaces');
  const watching = new AbortController();
  const added: string[] = [];
  const watched = (async () => {
    try {
      for await (const e of kube.watch('/api/v1/namespaces', {
        resourceVersion: list.resourceVersion,
        signal: watching.signal,
        query: { labelSelector: `${DRILL_LABEL}=${runId}` },
      }))
        if (e.type === 'ADDED') added.push(String((e.object as KubeObject).metadata?.name));
    } catch {
      // aborted below
    }
  })();
  const report = await runDrill({
    recoveryPoint: rp,
    workspaceDir: dir,
    kube: kubeOptions(),
    aws: { endpoint },
    runId,
    readyTimeoutMs: 10_000,
    adapt: { mode: 'on' },
  });
  // Let a late event arrive before the watch is closed.
  await new Promise((r) => setTimeout(r, 1000));
  watching.abort();
  await watched;
  assert.equal(report.status, 'error', JSON.stringify(report.checks));
  assert.match(report.error ?? '', /emulator refuses; nothing was written/);
  assert.match(report.error ?? '', new RegExp(`sqs queue ${longQueue} → "drill-${runId}-`));
  assert.deepEqual(added, [], `the drill created ${added.join(', ')} before failing on the copy's name`);
  assert.equal(
    report.phases.some((p) => p.phase === 'kube-apply' || p.phase === 'aws-import'),
    false,
    'no write phase ran',
  );
  assert.deepEqual(await leftoversOf(kube, aws, runId), []);
});
