// A drill cancelled midway, or whose process is killed, leaves nothing behind once it (or the next drill) is done.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { drillsDirOf, runDrill, type DrillReport } from '../../../src/core/drill';
import { kubeconfigPath, repoRoot, uniqueName } from '../../support/env';
import {
  CONTEXT,
  createFixtureNamespace,
  deleteNamespace,
  deployment,
  endpoint,
  kubeOptions,
  leftoversOf,
  liveEnv,
  takeRecoveryPoint,
  tempDir,
} from './drillEnv';

const env = liveEnv();
const dir = tempDir('drill-cancel');
let ns: string;
let queueUrl: string;
let rp: string;
const cli = join(repoRoot, 'dist', 'cli.js');

before(async () => {
  const { kube, aws } = await env;
  // A workload that never becomes ready keeps the drill in its readiness phase long enough to interrupt it.
  ns = await createFixtureNamespace(kube, 'drillfx-slow', [
    {
      path: '/api/v1/namespaces/{ns}/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { A: '1' } },
    },
    deployment('slow', { nodeSelector: { 'drydock.dev/no-such-node': 'true' } }),
  ]);
  const queue = uniqueName('drillfx-jobs');
  queueUrl = (await aws.sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
  await aws.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'job-1' }));
  rp = await takeRecoveryPoint(dir, 'slow', {
    kube: { client: kube, namespaces: [ns] },
    aws: { clients: aws, queues: [queue] },
  });
});

after(async () => {
  const { kube, aws } = await env;
  await deleteNamespace(kube, ns);
  await aws.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
  aws.destroy();
  rmSync(dir, { recursive: true, force: true });
});

test('cancelling a drill midway (AbortSignal) removes its namespace and AWS copies and reports it cancelled', async () => {
  const { kube, aws } = await env;
  const controller = new AbortController();
  let sawTarget = false;
  let runId = '';
  const report = await runDrill(
    {
      recoveryPoint: rp,
      workspaceDir: join(dir, 'ws-cancel'),
      kube: kubeOptions(),
      aws: { endpoint },
      readyTimeoutMs: 120_000,
    },
    {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.phase !== 'readiness' || controller.signal.aborted) return;
        const found = readdirSync(join(drillsDirOf(join(dir, 'ws-cancel')), 'ledger')).find((f) => f.endsWith('.json'));
        runId = found?.replace('.json', '') ?? '';
        sawTarget = true;
        controller.abort();
      },
    },
  );
  assert.ok(sawTarget, 'the drill reached its readiness phase before it was cancelled');
  assert.equal(report.runId, runId);
  assert.equal(report.status, 'cancelled');
  assert.equal(report.error, 'Cancelled.');
  assert.ok(report.cleanup.done, JSON.stringify(report.cleanup));
  assert.deepEqual(await leftoversOf(kube, aws, report.runId), []);
  assert.equal(existsSync(join(drillsDirOf(join(dir, 'ws-cancel')), 'ledger', `${report.runId}.json`)), false);
});

function startCli(args: string[]): {
  child: ChildProcess;
  stderr: () => string;
  stdout: () => string;
  exit: Promise<number | null>;
} {
  if (!existsSync(cli) || !readFileSync(cli, 'utf8').includes('drill --config'))
    throw new Error(`${cli} is missing or has no drill command: run \`npm run build\` first.`);
  const child = spawn(
    process.execPath,
    [
      cli,
      'drill',
      ...args,
      '--kubeconfig',
      kubeconfigPath(),
      '--context',
      CONTEXT,
      '--aws-endpoint',
      endpoint.url,
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  let out = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => err, stdout: () => out, exit };
}

test('a drill whose process is killed (SIGKILL) mid-run is cleaned up by the next drill, through its ledger', async () => {
  const { kube, aws } = await env;
  const ws = join(dir, 'ws-kill');
  const first = startCli([rp, '--workspace', ws, '--ready-timeout', '120']);
  const deadline = Date.now() + 90_000;
  while (!first.stderr().includes('[readiness]')) {
    if (Date.now() > deadline) throw new Error(`the first drill never reached readiness:\n${first.stderr()}`);
    if (first.child.exitCode !== null)
      throw new Error(`the first drill ended early (${first.child.exitCode}):\n${first.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  first.child.kill('SIGKILL');
  assert.equal(await first.exit, null, 'killed, not exited');
  const ledgers = readdirSync(join(drillsDirOf(ws), 'ledger')).filter((f) => f.endsWith('.json'));
  assert.equal(ledgers.length, 1, 'the killed drill left its ledger');
  const killedRun = ledgers[0]!.replace('.json', '');
  const leftBehind = await leftoversOf(kube, aws, killedRun);
  assert.ok(
    leftBehind.some((l) => l.startsWith('/api/v1/namespaces/')),
    `the kill left the namespace: ${leftBehind.join(', ')}`,
  );
  assert.ok(
    leftBehind.some((l) => l.includes(`drill-${killedRun}-`)),
    `the kill left the queue copy: ${leftBehind.join(', ')}`,
  );

  const second = startCli([rp, '--workspace', ws, '--ready-timeout', '2']);
  const code = await second.exit;
  assert.equal(code, 1, `the second drill fails (its workload is never ready):\n${second.stderr()}`);
  const report = JSON.parse(second.stdout()) as DrillReport;
  assert.equal(report.status, 'failed');
  assert.ok(report.gaps.some((g) => g.kind === 'not-ready'));
  assert.ok(
    report.cleanup.leftoversRemoved.some((r) => r.startsWith('namespace/drill-slow-')),
    JSON.stringify(report.cleanup),
  );
  assert.ok(
    report.cleanup.leftoversRemoved.some((r) => r.startsWith(`sqs:drill-${killedRun}-`)),
    JSON.stringify(report.cleanup),
  );
  assert.deepEqual(await leftoversOf(kube, aws, killedRun), []);
  assert.deepEqual(await leftoversOf(kube, aws, report.runId), []);
  assert.deepEqual(
    readdirSync(join(drillsDirOf(ws), 'ledger')).filter((f) => f.endsWith('.json')),
    [],
  );
});
