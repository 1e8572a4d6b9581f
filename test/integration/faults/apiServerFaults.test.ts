import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createAwsClients, type AwsClients, type AwsEndpoint } from '../../../src/core/aws/clients';
import { DrydockError, describeError } from '../../../src/core/errors';
import { loadKubeConfig } from '../../../src/core/kube/kubeconfig';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { ClusterExplorer } from '../../../src/core/kube/clusterExplorer';
import type { ContextNode, ExplorerNode } from '../../../src/core/kube/explorerNodes';
import { silentLogger } from '../../../src/core/log';
import { createSnapshot, restoreSnapshot, type ProgressEvent } from '../../../src/core/snapshot';
import {
  cleanupLeftovers,
  drillsDirOf,
  runDrill,
  type DrillProgressEvent,
  type DrillReport,
} from '../../../src/core/drill';
import { repoRoot } from '../../support/env';
import { leftoversOf } from '../drill/drillEnv';
import { startFaultCluster, type FaultCluster } from './faultCluster';
import { startFaultMoto, type FaultMoto } from './faultEnv';

/**
 * Faults on the real kube-apiserver — frozen (SIGSTOP: a paused VM or container) and killed (SIGKILL) — at chosen
 * moments of a snapshot, a restore, a drill and an explorer refresh, and on moto during a drill. Each operation
 * ends within a stated bound after the fault, failed/partial/unreachable and naming the cause, never successful;
 * a drill stopped by a fault leaves nothing once the pieces are back (`drill --cleanup` or the next drill); a
 * restore re-run after the fault completes the rest. The control plane and moto are the suite's own (their own
 * state, ports and pid files), so no other suite sees the faults. Requests are bounded at 3 s here.
 */
const TIMEOUT_MS = 3000;
process.env.DRYDOCK_IO_TIMEOUT_MS = String(TIMEOUT_MS);
/** One request bound for the call in flight, a few more for what the operation tries before it gives up, slack. */
const BOUND_MS = 6 * TIMEOUT_MS + 5000;
/** A restore stops trying once the server does not answer: about one bound, not one per item. */
const RESTORE_BOUND_MS = 3 * TIMEOUT_MS + 3000;
/** A drill also tries its cleanup against the frozen server (a bound per delete) before it reports. */
const DRILL_BOUND_MS = 12 * TIMEOUT_MS + 5000;

const NS = 'fault-shop';
const CONFIGMAPS = 40;
const QUEUE = 'fault-jobs';

let cluster: FaultCluster;
let moto: FaultMoto;
let dir: string;
let good: string;
let endpoint: AwsEndpoint;
const table: string[] = [
  '| fault | operation | time to end after fault | result | message | leftovers |',
  '| --- | --- | --- | --- | --- | --- |',
];

function row(fault: string, operation: string, ms: number, result: string, message: string, leftovers: string): void {
  table.push(
    `| ${fault} | ${operation} | ${(ms / 1000).toFixed(1)} s | ${result} | ${message.replace(/\|/g, '/').replace(/\n/g, ' ').slice(0, 150)} | ${leftovers} |`,
  );
}

const kubeOptions = () => ({ kubeConfig: loadKubeConfig([cluster.kubeconfig]), context: cluster.context });
const kube = () => new KubeRawClient(loadKubeConfig([cluster.kubeconfig]), cluster.context);
const aws = (): AwsClients => createAwsClients(endpoint);
const serverPattern = () => cluster.server.replace(/[.:/]/g, '\\$&');

/** Runs `op`, injecting `fault` at the first event `at` accepts; how it ended and how long after the fault. */
async function withFault<E, T>(
  at: (e: E) => boolean,
  fault: () => void,
  op: (progress: (e: E) => void) => Promise<T>,
): Promise<{ value?: T; error?: unknown; afterFaultMs: number; faulted: boolean }> {
  let faultAt = 0;
  const progress = (e: E) => {
    if (!faultAt && at(e)) {
      faultAt = Date.now();
      fault();
    }
  };
  try {
    const value = await op(progress);
    return { value, afterFaultMs: Date.now() - faultAt, faulted: faultAt > 0 };
  } catch (error) {
    return { error, afterFaultMs: Date.now() - faultAt, faulted: faultAt > 0 };
  }
}

async function configMapsIn(ns: string): Promise<number> {
  const list = await kube().list(`/api/v1/namespaces/${ns}/configmaps`);
  return list.items.filter((i) => (i as { metadata?: { name?: string } }).metadata?.name?.startsWith('cfg-')).length;
}

/** Polls (bounded) until `left` is empty; the error lists what is still there. */
async function eventuallyNone(left: () => Promise<string[]>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await left().catch((e: unknown) => [`(${describeError(e)})`]);
    if (now.length === 0) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${now.join(', ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What a drill run left: namespaces and volumes labelled with its run id, AWS resources with its prefix. */
async function leftovers(runId: string): Promise<string[]> {
  const a = aws();
  try {
    return await leftoversOf(kube(), a, runId);
  } finally {
    a.destroy();
  }
}

function ledgers(ws: string): string[] {
  const d = join(drillsDirOf(ws), 'ledger');
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')) : [];
}

function runCli(args: string[]): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, DRYDOCK_IO_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
    let output = '';
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, output, ms: Date.now() - started });
    });
  });
}

async function cleanUp(ws: string): Promise<void> {
  const a = aws();
  try {
    const r = await cleanupLeftovers({
      drillsDir: drillsDirOf(ws),
      kube: kube(),
      aws: a,
      logger: silentLogger,
      selfRuns: new Set(),
    });
    assert.deepEqual(r.errors, []);
  } finally {
    a.destroy();
  }
}

function drill(ws: string, onProgress?: (e: DrillProgressEvent) => void): Promise<DrillReport> {
  return runDrill(
    { recoveryPoint: good, workspaceDir: ws, kube: kubeOptions(), aws: { endpoint }, readyTimeoutMs: 20_000 },
    { onProgress },
  );
}

before(async () => {
  [cluster, moto] = await Promise.all([startFaultCluster(), startFaultMoto()]);
  endpoint = { url: moto.url, region: 'us-east-1' };
  dir = await mkdtemp(join(tmpdir(), 'drydock-apifaults-'));
  const k = kube();
  await k.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  for (let i = 0; i < CONFIGMAPS; i++)
    await k.request('POST', `/api/v1/namespaces/${NS}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cfg-${i}` },
      data: { QUEUE, N: String(i) },
    });
  await k.request('POST', `/api/v1/namespaces/${NS}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'worker' },
  });
  const a = aws();
  try {
    const url = (await a.sqs.send(new CreateQueueCommand({ QueueName: QUEUE }))).QueueUrl!;
    await a.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: `job ${j}` })),
      }),
    );
    good = join(dir, 'good');
    await createSnapshot({
      target: good,
      kube: { client: k, namespaces: [NS] },
      aws: { clients: a, queues: [QUEUE] },
      secrets: 'plain',
      toolVersion: 'test',
    });
  } finally {
    a.destroy();
  }
});

after(async () => {
  try {
    cluster?.stop();
  } finally {
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    process.stdout.write(`# fault table\n${table.map((l) => `# ${l}`).join('\n')}\n`);
  }
});

test('API server frozen while a snapshot lists the namespace: unreachable within the bound naming the server; no snapshot', async () => {
  const target = join(dir, 'frozen.tar.gz');
  try {
    const r = await withFault<ProgressEvent, unknown>(
      (e) => e.phase === 'kube',
      () => cluster.freeze(),
      (progress) =>
        createSnapshot({
          target,
          kube: { client: kube(), namespaces: [NS] },
          secrets: 'plain',
          toolVersion: 'test',
          progress,
        }),
    );
    assert.ok(r.faulted, 'the fault was injected');
    assert.ok(DrydockError.is(r.error, 'unreachable'), `got ${String(r.error)}`);
    assert.match(r.error.message, new RegExp(`${serverPattern()} .*did not answer .*within 3 s`));
    assert.ok(r.afterFaultMs < BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
    assert.equal(existsSync(target), false, 'no snapshot written');
    row(
      'SIGSTOP kube-apiserver',
      'snapshot (listing)',
      r.afterFaultMs,
      'failed (unreachable)',
      r.error.message,
      'none',
    );
  } finally {
    cluster.thaw();
  }
});

test('API server killed while a snapshot lists the namespace: unreachable at once naming the server; no snapshot', async () => {
  const target = join(dir, 'killed.tar.gz');
  try {
    const r = await withFault<ProgressEvent, unknown>(
      (e) => e.phase === 'kube',
      () => cluster.kill(),
      (progress) =>
        createSnapshot({
          target,
          kube: { client: kube(), namespaces: [NS] },
          secrets: 'plain',
          toolVersion: 'test',
          progress,
        }),
    );
    assert.ok(r.faulted, 'the fault was injected');
    assert.ok(DrydockError.is(r.error, 'unreachable'), `got ${String(r.error)}`);
    assert.match(r.error.message, new RegExp(`Cannot reach the Kubernetes API server ${serverPattern()}`));
    assert.ok(r.afterFaultMs < BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
    assert.equal(existsSync(target), false, 'no snapshot written');
    row(
      'SIGKILL kube-apiserver',
      'snapshot (listing)',
      r.afterFaultMs,
      'failed (unreachable)',
      r.error.message,
      'none',
    );
  } finally {
    cluster.restart();
  }
});

for (const fault of ['SIGSTOP', 'SIGKILL'] as const) {
  test(`API server ${fault === 'SIGSTOP' ? 'frozen' : 'killed'} after 10 items of a restore: partial within the bound naming the server; the re-run after it is back completes the rest`, async () => {
    const target = `copy-${fault.toLowerCase()}`;
    const a = aws();
    try {
      const r = await withFault<ProgressEvent, Awaited<ReturnType<typeof restoreSnapshot>>>(
        (e) => e.phase === 'restore' && (e.done ?? 0) >= 10,
        () => (fault === 'SIGSTOP' ? cluster.freeze() : cluster.kill()),
        (progress) =>
          restoreSnapshot({
            source: good,
            kube: { client: kube(), namespaceMap: new Map([[NS, target]]) },
            aws: { clients: a, prefix: `${target}-` },
            progress,
          }),
      );
      if (fault === 'SIGSTOP') cluster.thaw();
      else cluster.restart();
      assert.ok(r.faulted, 'the fault was injected');
      assert.ok(r.afterFaultMs < RESTORE_BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
      const status = r.value ? r.value.status : 'threw';
      assert.notEqual(status, 'ok', 'never success');
      const failed = r.value?.items.filter((i) => i.outcome === 'failed') ?? [];
      const message = r.value ? (failed[0]?.message ?? '') : describeError(r.error);
      assert.match(message, fault === 'SIGSTOP' ? /did not answer/ : /Cannot reach|did not answer/);
      assert.match(message, new RegExp(serverPattern()));
      const left = await configMapsIn(target);
      assert.ok(left < CONFIGMAPS, `the fault left the copy incomplete (${left})`);
      row(
        `${fault} kube-apiserver`,
        'restore (after 10 items)',
        r.afterFaultMs,
        `${status} (${failed.length} failed)`,
        message,
        `${left}/${CONFIGMAPS} ConfigMaps`,
      );

      const rerun = await restoreSnapshot({
        source: good,
        kube: { client: kube(), namespaceMap: new Map([[NS, target]]) },
        aws: { clients: a, prefix: `${target}-` },
      });
      assert.equal(rerun.status, 'ok', JSON.stringify(rerun.items.filter((i) => i.outcome === 'failed')));
      assert.equal(await configMapsIn(target), CONFIGMAPS, 'the re-run completes the rest');
      row(
        `(after ${fault === 'SIGSTOP' ? 'SIGCONT' : 'restart'})`,
        'restore re-run',
        rerun.durationMs,
        'ok',
        '',
        `${CONFIGMAPS}/${CONFIGMAPS} ConfigMaps`,
      );
    } finally {
      cluster.thaw();
      a.destroy();
    }
  });
}

test('API server frozen while a drill applies objects: the drill ends failed within the bound naming the server; drill --cleanup leaves nothing', async () => {
  const ws = join(dir, 'ws-frozen');
  let report: DrillReport | undefined;
  try {
    const r = await withFault<DrillProgressEvent, DrillReport>(
      (e) => e.phase === 'kube-apply' && (e.done ?? 0) >= 5,
      () => cluster.freeze(),
      (progress) => drill(ws, progress),
    );
    cluster.thaw();
    assert.ok(r.faulted, 'the fault was injected');
    report = r.value;
    assert.ok(report, `the drill reports (got ${String(r.error)})`);
    assert.ok(r.afterFaultMs < DRILL_BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
    assert.notEqual(report.status, 'passed', 'never success');
    const cause = report.error ?? report.checks.find((c) => !c.passed)?.detail ?? '';
    assert.match(cause, /did not answer/);
    assert.match(cause, new RegExp(serverPattern()));
    const before = await leftovers(report.runId);
    // What `drydock drill --cleanup` runs (in this process: the drill's ledger names this process, which still runs).
    await cleanUp(ws);
    await eventuallyNone(() => leftovers(report!.runId), 'the drill target to go');
    assert.deepEqual(ledgers(ws), []);
    row(
      'SIGSTOP kube-apiserver',
      'drill (Kubernetes apply)',
      r.afterFaultMs,
      report.status,
      cause,
      `${before.length} left after the drill; none after drill --cleanup`,
    );
  } finally {
    cluster.thaw();
  }
});

test('API server killed while a drill checks: the drill ends failed at once naming the server; the next drill removes what it left and passes', async () => {
  const ws = join(dir, 'ws-killed');
  const r = await withFault<DrillProgressEvent, DrillReport>(
    (e) => e.phase === 'checks',
    () => cluster.kill(),
    (progress) => drill(ws, progress),
  );
  cluster.restart();
  assert.ok(r.faulted, 'the fault was injected');
  const report = r.value;
  assert.ok(report, `the drill reports (got ${String(r.error)})`);
  assert.ok(r.afterFaultMs < DRILL_BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
  assert.notEqual(report.status, 'passed', 'never success');
  const cause = report.error ?? report.checks.find((c) => !c.passed)?.detail ?? '';
  assert.match(cause, /Cannot reach the Kubernetes API server|did not answer/);
  const before = await leftovers(report.runId);
  assert.ok(before.length > 0, 'the killed server kept the drill from cleaning up (else this proves nothing)');
  const next = await drill(ws);
  assert.equal(next.status, 'passed', next.error ?? JSON.stringify(next.checks.filter((c) => !c.passed)));
  assert.ok(
    next.cleanup.leftoversRemoved.some((l) => l.includes(report.runId)),
    JSON.stringify(next.cleanup.leftoversRemoved),
  );
  await eventuallyNone(() => leftovers(report.runId), 'the first drill target to go');
  assert.deepEqual(await leftovers(next.runId), []);
  assert.deepEqual(ledgers(ws), []);
  row(
    'SIGKILL kube-apiserver',
    'drill (checks)',
    r.afterFaultMs,
    report.status,
    cause,
    `${before.length} left; none after the next drill (which passed)`,
  );
});

test('moto frozen while a drill imports AWS resources: failed within the bound naming the endpoint; nothing left after drill --cleanup', async () => {
  const ws = join(dir, 'ws-moto');
  let report: DrillReport | undefined;
  try {
    const r = await withFault<DrillProgressEvent, DrillReport>(
      (e) => e.phase === 'aws-import',
      () => moto.freeze(),
      (progress) => drill(ws, progress),
    );
    moto.thaw();
    assert.ok(r.faulted, 'the fault was injected');
    report = r.value;
    assert.ok(report, `the drill reports (got ${String(r.error)})`);
    assert.ok(r.afterFaultMs < DRILL_BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
    assert.notEqual(report.status, 'passed', 'never success');
    const cause =
      report.error ??
      report.checks.find((c) => !c.passed)?.detail ??
      report.gaps.find((g) => g.kind !== 'skipped-by-policy')?.message ??
      '';
    assert.match(cause, new RegExp(`${moto.url.replace(/[.:/]/g, '\\$&')} did not answer`));
    const before = await leftovers(report.runId);
    // What `drydock drill --cleanup` runs (in this process: the drill's ledger names this process, which still runs).
    await cleanUp(ws);
    await eventuallyNone(() => leftovers(report!.runId), 'the drill target to go');
    assert.deepEqual(ledgers(ws), []);
    row(
      'SIGSTOP moto',
      'drill (AWS import)',
      r.afterFaultMs,
      report.status,
      cause,
      `${before.length} left after the drill; none after drill --cleanup`,
    );
  } finally {
    moto.thaw();
  }
});

test('moto killed while a drill imports AWS resources: failed within the bound naming the endpoint; after a restart, drill --cleanup leaves nothing', async () => {
  const ws = join(dir, 'ws-moto-killed');
  const r = await withFault<DrillProgressEvent, DrillReport>(
    (e) => e.phase === 'aws-import',
    () => moto.kill(),
    (progress) => drill(ws, progress),
  );
  await moto.restart();
  assert.ok(r.faulted, 'the fault was injected');
  const report = r.value;
  assert.ok(report, `the drill reports (got ${String(r.error)})`);
  assert.ok(r.afterFaultMs < DRILL_BOUND_MS, `ended ${r.afterFaultMs} ms after the fault`);
  assert.notEqual(report.status, 'passed', 'never success');
  const cause =
    report.error ??
    report.checks.find((c) => !c.passed)?.detail ??
    report.gaps.find((g) => g.kind !== 'skipped-by-policy')?.message ??
    '';
  assert.match(cause, new RegExp(`Cannot reach the AWS endpoint ${moto.url.replace(/[.:/]/g, '\\$&')}`));
  const before = await leftovers(report.runId);
  await cleanUp(ws);
  await eventuallyNone(() => leftovers(report.runId), 'the drill target to go');
  assert.deepEqual(ledgers(ws), []);
  row(
    'SIGKILL moto',
    'drill (AWS import)',
    r.afterFaultMs,
    report.status,
    cause,
    `${before.length} left after the drill (moto's state went with it); none after drill --cleanup`,
  );
});

for (const fault of ['SIGSTOP', 'SIGKILL'] as const) {
  test(`explorer refresh with the API server ${fault === 'SIGSTOP' ? 'frozen' : 'killed'}: a "not answering" node within the bound, never a hang; Retry after it is back lists the namespaces`, async () => {
    const explorer = new ClusterExplorer({ logger: silentLogger, kubeconfigPaths: () => [cluster.kubeconfig] });
    try {
      const ctx = (await explorer.children()).find(
        (n): n is ContextNode => n.kind === 'context' && n.contextName === cluster.context,
      );
      assert.ok(ctx?.local, 'the suite cluster is a local context');
      assert.ok((await explorer.children(ctx)).some((n) => n.kind === 'namespace' && n.namespace === NS));
      if (fault === 'SIGSTOP') cluster.freeze();
      else cluster.kill();
      const started = Date.now();
      explorer.refresh();
      let nodes: ExplorerNode[];
      try {
        nodes = await explorer.children(ctx);
      } finally {
        if (fault === 'SIGSTOP') cluster.thaw();
      }
      const ms = Date.now() - started;
      assert.ok(ms < BOUND_MS, `answered after ${ms} ms`);
      const node = nodes[0];
      assert.equal(nodes.length, 1, JSON.stringify(nodes));
      assert.ok(node?.kind === 'message' && node.severity === 'unreachable', JSON.stringify(node));
      assert.equal(node.detail, 'not answering — Retry / Show Log');
      assert.match(node.label, new RegExp(`Cluster unreachable: ${serverPattern()}`));
      assert.match(node.reason ?? '', fault === 'SIGSTOP' ? /did not answer/ : /Cannot reach/);
      if (fault === 'SIGKILL') cluster.restart();
      explorer.refresh();
      const again = await explorer.children(ctx);
      assert.ok(
        again.some((n) => n.kind === 'namespace' && n.namespace === NS),
        `Retry lists namespaces: ${JSON.stringify(again)}`,
      );
      row(`${fault} kube-apiserver`, 'explorer refresh (namespaces)', ms, 'unreachable node', node.reason ?? '', '—');
    } finally {
      cluster.thaw();
      explorer.dispose();
    }
  });
}

test('CLI drill against a frozen API server: exits non-zero by itself within the bound, naming the server', async () => {
  const ws = join(dir, 'ws-cli');
  cluster.freeze();
  let r: Awaited<ReturnType<typeof runCli>>;
  try {
    r = await runCli([
      'drill',
      good,
      '--workspace',
      ws,
      '--kubeconfig',
      cluster.kubeconfig,
      '--context',
      cluster.context,
      '--aws-endpoint',
      moto.url,
    ]);
  } finally {
    cluster.thaw();
  }
  assert.ok(r.code !== null, 'it ended by itself');
  assert.notEqual(r.code, 0, r.output);
  assert.match(r.output, new RegExp(`${serverPattern()} .*did not answer`));
  // CLI start-up (tsx) included in the time.
  assert.ok(r.ms < DRILL_BOUND_MS + 30_000, `ended after ${r.ms} ms`);
  const cleanup = await runCli([
    'drill',
    '--cleanup',
    '--workspace',
    ws,
    '--kubeconfig',
    cluster.kubeconfig,
    '--context',
    cluster.context,
    '--aws-endpoint',
    moto.url,
  ]);
  assert.equal(cleanup.code, 0, cleanup.output);
  assert.deepEqual(ledgers(ws), []);
  row(
    'SIGSTOP kube-apiserver (before start)',
    'CLI drill',
    r.ms,
    `exit ${r.code}`,
    r.output
      .split('\n')
      .find((l) => /did not answer/.test(l))
      ?.trim() ?? '',
    'none after `drill --cleanup`',
  );
});
