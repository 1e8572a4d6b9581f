import { test, after, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, writeFile, truncate, stat, cp } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createSnapshot, restoreSnapshot, SnapshotInvalidError } from '../../../src/core/snapshot';
import { DrydockError } from '../../../src/core/errors';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { KubeConfig } from '../../../src/core/kube/clientNode';
import { createAwsClients } from '../../../src/core/aws/clients';
import { itemPath, MANIFEST_PATH } from '../../../src/core/snapshot/layout';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import { kubeconfigPath, repoRoot, uniqueName } from '../../support/env';
import {
  liveEnv,
  workloadObjects,
  createNamespace,
  deleteNamespace,
  createQueue,
  sendMessages,
  deleteQueue,
  queueUrl,
} from './liveEnv';

const passphrase = 'bad-input passphrase';
let dir: string;
let env: Awaited<ReturnType<typeof liveEnv>>;
let ns: string;
let queue: string;
let good: string;

before(async () => {
  env = await liveEnv();
  dir = await mkdtemp(join(tmpdir(), 'drydock-bad-'));
  ns = uniqueName('dd-bad');
  queue = uniqueName('dd-bad-q');
  const url = await createQueue(env.aws, queue);
  await sendMessages(env.aws, url, [{ body: 'one' }, { body: 'two' }]);
  await createNamespace(
    env.kube,
    ns,
    workloadObjects({ NS: ns, QUEUE: queue, QUEUE_URL: url, TABLE: 'none', BUCKET: 'none' }),
  );
  good = join(dir, 'good.tar.gz');
  await createSnapshot({
    target: good,
    kube: { client: env.kube, namespaces: [ns] },
    aws: { clients: env.aws, queues: [queue] },
    secrets: { passphrase },
    toolVersion: 'test',
  });
});

after(async () => {
  await deleteNamespace(env.kube, ns);
  await deleteQueue(env.aws, queue);
  await rm(dir, { recursive: true, force: true });
  env.aws.destroy();
});

async function namespaceExists(name: string): Promise<boolean> {
  try {
    await env.kube.request('GET', `/api/v1/namespaces/${name}`);
    return true;
  } catch (error) {
    if (KubeApiError.is(error) && error.statusCode === 404) return false;
    throw error;
  }
}

/** Restores `source` into a fresh mapped namespace and prefixed AWS names, expecting refusal and zero writes. */
async function assertRefusedWithoutWrites(
  source: string,
  keyPassphrase: string,
  expected: string[],
): Promise<SnapshotInvalidError> {
  const target = uniqueName('dd-bad-target');
  const prefix = `${target}-`;
  let caught: unknown;
  try {
    await restoreSnapshot({
      source,
      keySource: { passphrase: keyPassphrase },
      kube: { client: env.kube, namespaceMap: new Map([[ns, target]]) },
      aws: { clients: env.aws, prefix },
    });
  } catch (error) {
    caught = error;
  }
  assert.ok(SnapshotInvalidError.isInvalid(caught), `expected a SnapshotInvalidError, got ${String(caught)}`);
  assert.ok(expected.includes(caught.problem), `problem ${caught.problem}: ${caught.message}`);
  assert.equal(await namespaceExists(target), false, 'no namespace was created');
  assert.equal(await queueUrl(env.aws, prefix + queue), undefined, 'no queue was created');
  return caught;
}

test('tampered entry: checksum error naming the entry, nothing written', async (t) => {
  const d = join(dir, 'tampered');
  await restoreSnapshot({ source: good, keySource: { passphrase }, dryRun: true }); // the good one is fine
  const { extractTo } = await import('./extract');
  await extractTo(good, d);
  const entry = itemPath({ resource: 'configmaps', group: '', namespace: ns, name: 'orders-config' });
  const file = join(d, ...entry.split('/'));
  await writeFile(file, (await readFile(file, 'utf8')).replace('orders', 'hacked'));
  const e = await assertRefusedWithoutWrites(d, passphrase, ['checksum']);
  assert.equal(e.entry, entry);
  t.diagnostic(e.message);
});

test('truncated archive: refused, nothing written', async (t) => {
  const cut = join(dir, 'cut.tar.gz');
  await cp(good, cut);
  await truncate(cut, Math.floor((await stat(cut)).size * 0.6));
  t.diagnostic((await assertRefusedWithoutWrites(cut, passphrase, ['truncated', 'missing-entry'])).message);
});

test('unknown schema version: refused, nothing written', async (t) => {
  const d = join(dir, 'future');
  const { extractTo } = await import('./extract');
  await extractTo(good, d);
  const m = JSON.parse(await readFile(join(d, ...MANIFEST_PATH.split('/')), 'utf8'));
  m.schemaVersion = 42;
  await writeFile(join(d, ...MANIFEST_PATH.split('/')), JSON.stringify(m));
  t.diagnostic((await assertRefusedWithoutWrites(d, passphrase, ['schema'])).message);
});

test('path escaping the archive: refused, nothing written', async (t) => {
  const d = join(dir, 'escape-src');
  const { extractTo, packWithEscape } = await import('./extract');
  await extractTo(good, join(d, 'snap'));
  const evil = join(dir, 'escape.tar.gz');
  await packWithEscape(join(d, 'snap'), evil);
  t.diagnostic((await assertRefusedWithoutWrites(evil, passphrase, ['path'])).message);
});

test('wrong passphrase: refused before any write', async (t) => {
  t.diagnostic((await assertRefusedWithoutWrites(good, 'not the passphrase', ['passphrase'])).message);
});

// The guard trusts addresses: this machine's own interface addresses count as local (the bridges kind and minikube use),
// so the refused target here is an address on none of them (TEST-NET-1). Connections to such a target are counted by a
// listener in a network namespace in test/integration/guard/decoyCluster.test.ts.
test("guard: a kube context and an AWS endpoint on an address that is not this machine's are refused before any connection", async () => {
  const decoy = '192.0.2.10';
  assert.ok(
    !Object.values(networkInterfaces())
      .flat()
      .some((i) => i?.address === decoy),
    `${decoy} is on none of this machine's interfaces`,
  );
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'shared', server: `https://${decoy}:6443`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'x' }],
    contexts: [{ name: 'kind-shared-dev', cluster: 'shared', user: 'u' }],
    currentContext: 'kind-shared-dev',
  });
  const client = new KubeRawClient(kc, 'kind-shared-dev');
  await assert.rejects(restoreSnapshot({ source: good, keySource: { passphrase }, kube: { client } }), (e: unknown) =>
    DrydockError.is(e, 'not-local'),
  );
  const aws = createAwsClients({ url: `http://${decoy}:4566`, region: 'us-east-1' });
  await assert.rejects(
    restoreSnapshot({ source: good, keySource: { passphrase }, aws: { clients: aws } }),
    (e: unknown) => DrydockError.is(e, 'not-local'),
  );
  aws.destroy();
});

test('CLI: exit codes 4 (invalid snapshot) and 5 (refused) with clear messages; --json output', () => {
  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
      encoding: 'utf8',
      cwd: repoRoot,
      env: { ...process.env, ...extraEnv },
    });
  const wrong = cli(['restore', good, '--kubeconfig', kubeconfigPath(), '--json'], {
    DRYDOCK_SNAPSHOT_PASSPHRASE: 'wrong',
  });
  assert.equal(wrong.status, 4, wrong.stderr);
  assert.match(wrong.stderr, /Wrong passphrase/);
  assert.equal(JSON.parse(wrong.stdout).error.code, 'corrupt-snapshot');
  const refused = cli(['restore', good, '--no-kube', '--aws-endpoint', 'https://sqs.us-east-1.amazonaws.com'], {
    DRYDOCK_SNAPSHOT_PASSPHRASE: passphrase,
  });
  assert.equal(refused.status, 5, refused.stderr);
  assert.match(refused.stderr, /not on this machine/);
  const inspect = cli(['snapshot', 'inspect', good, '--json']);
  assert.equal(inspect.status, 0, inspect.stderr);
  assert.equal(JSON.parse(inspect.stdout).manifest.aws.sqs[0].messages, 2);
  const usage = cli(['snapshot', 'create', join(dir, 'x')]);
  assert.equal(usage.status, 2);
});
