// Production → local (issue #11 §2) against REAL Velero: Velero backs up a production-like (EKS) namespace
// (test/fixtures/production), the cluster-scoped things a laptop does not have are then removed (its StorageClass,
// IngressClass, PriorityClass, the operator's CRD, the namespace itself), and `drydock drill` of the backup — run
// through the CLI — must name every adaptation and every gap with the object it touched; `--no-adapt` restores
// exactly as Velero would.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeRawClient } from '../../../src/core/kube/rawClient';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import type { DrillReport } from '../../../src/core/drill';
import type { RestoreReport } from '../../../src/core/snapshot';
import { awsEndpointUrl, kubeconfigPath, repoRoot, uniqueName } from '../../support/env';
import { CONTEXT, liveEnv, tempDir, waitFor } from '../drill/drillEnv';
import { AWS_REFERENCES, policyWebhook, productionFixture } from '../../fixtures/production/ordersNamespace';
import { veleroBackup, veleroDown, veleroUp } from '../../../tools/localenv/velero.mjs';

const u = Date.now().toString(36);
const prodNs = `orders-prod-${u}`;
const fixture = productionFixture(u, prodNs);
const webhook = policyWebhook(fixture.names.webhook, `policy-${u}`);
const bucket = uniqueName('velero-prod');
const backupName = uniqueName('orders');
const localClass = `local-${u}`;
let kube: KubeRawClient;
const restoredNs = uniqueName('orders-va');
const work = tempDir('prod-to-local');

const ignore404 = (e: unknown) => {
  if (!(KubeApiError.is(e) && e.statusCode === 404)) throw e;
};

async function gone(path: string): Promise<void> {
  await kube.request('DELETE', path).catch(ignore404);
  await waitFor(
    async () =>
      kube.request('GET', path).then(
        () => false,
        (e: unknown) => KubeApiError.is(e) && e.statusCode === 404,
      ),
    `${path} gone`,
    120_000,
  );
}

/** The CLI as a user runs it (asynchronously: this process's own API connections stay serviced meanwhile). */
function drydock(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args],
      { encoding: 'utf8', cwd: repoRoot, env: process.env, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

const target = ['--kubeconfig', kubeconfigPath(), '--context', CONTEXT, '--aws-endpoint', awsEndpointUrl()];
const backup = () => `s3://${bucket}/backups/${backupName}`;

before(async () => {
  ({ kube } = await liveEnv());
  for (const o of fixture.cluster) await kube.request('POST', o.path, o.body);
  await waitFor(async () => {
    const crd = await kube.request<KubeObject>(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${fixture.names.crd}`,
    );
    return ((crd.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? []).some(
      (c) => c.type === 'Established' && c.status === 'True',
    );
  }, 'the CRD is established');
  await kube.request('POST', webhook.path, webhook.body);
  await kube.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: prodNs } });
  for (const o of fixture.namespaced)
    await kube.request('POST', o.path.replace('{ns}', prodNs), {
      ...o.body,
      metadata: { ...o.body.metadata, namespace: prodNs },
    });

  await waitFor(async () => {
    const claim = await kube.request<KubeObject>(
      'GET',
      `/api/v1/namespaces/${prodNs}/persistentvolumeclaims/orders-data`,
    );
    return (claim.status as { phase?: string })?.phase === 'Bound';
  }, 'the claim is bound before Velero backs it up');
  await veleroUp({ bucket });
  const phase = veleroBackup(backupName, [
    '--include-namespaces',
    prodNs,
    '--include-namespace-scoped-resources',
    '*',
    '--include-cluster-scoped-resources',
    'validatingwebhookconfigurations.admissionregistration.k8s.io,persistentvolumes',
    // A namespace-scoped team's backup: the operator's CRD and the PriorityClass (which Velero would otherwise
    // add for the custom resource and the pods) are the cluster's, not the team's.
    '--exclude-cluster-scoped-resources',
    'customresourcedefinitions.apiextensions.k8s.io,priorityclasses.scheduling.k8s.io',
  ]);
  assert.ok(phase === 'Completed' || phase === 'PartiallyFailed', `Velero's backup ended ${phase}`);

  // The laptop: none of the production cluster's own classes, CRD, webhook or namespace; one class of its own.
  await gone(`/api/v1/namespaces/${prodNs}`);
  await gone(`/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${fixture.names.webhook}`);
  for (const o of fixture.cluster) await gone(`${o.path}/${o.body.metadata!.name}`);
  await kube.request('POST', '/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: localClass },
    provisioner: 'kubernetes.io/no-provisioner',
    volumeBindingMode: 'Immediate',
  });
});

after(async () => {
  await kube?.request('DELETE', `/api/v1/namespaces/${restoredNs}`).catch(() => undefined);
  await kube?.request('DELETE', `/apis/storage.k8s.io/v1/storageclasses/${localClass}`).catch(() => undefined);
  await kube
    ?.request(
      'DELETE',
      `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${fixture.names.webhook}`,
    )
    .catch(() => undefined);
  await veleroDown();
  rmSync(work, { recursive: true, force: true });
});

test('drydock drill of the production backup names every adaptation and every gap with the object it touched', async () => {
  const reportFile = join(work, 'adapted.json');
  const r = await drydock([
    'drill',
    backup(),
    ...target,
    '--workspace',
    work,
    '--allow-cluster-scoped',
    '--storage-class-map',
    `${fixture.names.storageClass}=${localClass}`,
    '--ready-timeout',
    '60',
    '--report',
    reportFile,
  ]);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as DrillReport;
  assert.ok(report.adapted, `adapted: ${r.stderr}`);
  assert.equal(report.adapted.reason, 'the recovery point is a Velero backup');
  const list = report.adapted.adaptations;
  const shown = JSON.stringify(list, null, 1);
  const has = (kind: string, subject: string, change: RegExp, gap = false) =>
    assert.ok(
      list.some((a) => a.kind === kind && a.subject === subject && change.test(a.change) && !!a.gap === gap),
      `${kind} ${subject} ${String(change)} in ${shown}`,
    );
  const { storageClass, ingressClass, priorityClass, crd, webhook: hook } = fixture.names;
  has(
    'storage-class',
    `persistentvolumeclaims/${prodNs}/orders-data`,
    new RegExp(`${storageClass} → ${localClass} \\(--storage-class-map`),
  );
  has(
    'storage-class',
    `statefulsets.apps/${prodNs}/ledger`,
    new RegExp(`volumeClaimTemplates\\[wal\\]\\.spec\\.storageClassName ${storageClass} → ${localClass}`),
  );
  has('service-type', `services/${prodNs}/orders-public`, /LoadBalancer → NodePort.*removed loadBalancerSourceRanges/);
  has(
    'ingress-class',
    `ingresses.networking.k8s.io/${prodNs}/orders`,
    new RegExp(`no IngressClass ${ingressClass} here`),
    true,
  );
  has(
    'volume-data',
    `persistentvolumeclaims/${prodNs}/orders-data`,
    /volume data not restored \(Velero did not back up its data/,
    true,
  );
  const dep = `deployments.apps/${prodNs}/orders-api`;
  has('scheduling', dep, /nodeSelector eks\.amazonaws\.com\/nodegroup=orders-ng removed/);
  has('scheduling', dep, /nodeAffinity required terms \(node\.kubernetes\.io\/instance-type In m5\.large\) removed/);
  has('scheduling', dep, /tolerations eks\.amazonaws\.com\/capacityType=SPOT:NoSchedule removed/);
  has('scheduling', dep, /topology\.kubernetes\.io\/zone: DoNotSchedule → ScheduleAnyway/);
  has('priority-class', dep, new RegExp(`priorityClassName ${priorityClass} removed`));
  has('image-pull-secret', dep, /imagePullSecrets ecr-pull removed/);
  has('image-pull-secret', dep, /Amazon ECR/, true);
  has(
    'workload-identity',
    `serviceaccounts/${prodNs}/orders-api`,
    /eks\.amazonaws\.com\/role-arn=arn:aws:iam::123456789012:role\/orders-api removed/,
  );
  has(
    'admission-webhook',
    `validatingwebhookconfigurations.admissionregistration.k8s.io/${hook}`,
    new RegExp(`Service policy-${u}/policy-webhook is not here`),
  );
  has(
    'missing-crd',
    `externalsecrets.${fixture.names.crdGroup}/${prodNs}/orders-db`,
    new RegExp(`no CustomResourceDefinition ${crd.replace(/\./g, '\\.')}`),
    true,
  );
  // The custom resource is also a gap of the drill (it could not be created), not a silent success.
  assert.ok(
    report.gaps.some(
      (g) =>
        g.kind === 'create-failed' && g.subject === `externalsecrets.${fixture.names.crdGroup}/${prodNs}/orders-db`,
    ),
  );
  // With the adaptations, the workload runs here: the node pool no longer pins it.
  assert.ok(
    report.checks.some((c) => c.name === 'deployments.apps/orders-api Available' && c.passed),
    JSON.stringify(
      report.checks.filter((c) => !c.passed),
      null,
      1,
    ),
  );
  // …and the objects check compared the restored objects with the adapted ones (no mismatch for adapted objects).
  assert.ok(
    !report.gaps.some((g) => g.kind === 'object-mismatch' && g.subject === dep),
    JSON.stringify(report.gaps, null, 1),
  );
  const md = readFileSync(report.files!.markdown, 'utf8');
  assert.match(md, /## Adapted for this cluster/);
  assert.match(md, /### Could not be adapted/);
  assert.match(md, new RegExp(`\`services/${prodNs}/orders-public\``));
  // References to real AWS (H3's adapter, run by this framework) point at local copies the drill made and removed.
  const cm = `configmaps/${prodNs}/orders-config`;
  has('aws-reference', cm, new RegExp(`${AWS_REFERENCES.queueUrl.replace(/[./]/g, '\\$&')} → http://`));
  has('aws-reference', cm, /arn:aws:dynamodb:eu-west-1:123456789012:table\/orders →/);
  has('aws-reference', cm, new RegExp(`${AWS_REFERENCES.bucket} →`));
  has('aws-reference', dep, /sqs\.eu-west-1\.amazonaws\.com\/123456789012\/orders → http:\/\//);
});

test('--no-adapt restores exactly as Velero would: production scheduling and the LoadBalancer are kept, nothing is listed', async () => {
  const r = await drydock([
    'restore',
    backup(),
    ...target,
    '--no-aws',
    '--namespace-map',
    `${prodNs}:${restoredNs}`,
    '--allow-cluster-scoped',
    '--no-adapt',
    '--json',
  ]);
  assert.equal(r.status, 3, `partial (the custom resource has no CRD here): ${r.stderr}`);
  const report = JSON.parse(r.stdout) as RestoreReport;
  assert.equal(report.adapted, undefined);
  const failed = report.items.filter((i) => i.outcome === 'failed').map((i) => i.id);
  assert.deepEqual(failed, [`externalsecrets.${fixture.names.crdGroup}/${restoredNs}/orders-db`]);
  const dep = await kube.request<KubeObject>('GET', `/apis/apps/v1/namespaces/${restoredNs}/deployments/orders-api`);
  const spec = (dep.spec as any).template.spec;
  assert.deepEqual(spec.nodeSelector, { 'eks.amazonaws.com/nodegroup': 'orders-ng', 'kubernetes.io/os': 'linux' });
  assert.equal(spec.priorityClassName, fixture.names.priorityClass);
  assert.deepEqual(spec.imagePullSecrets, [{ name: 'ecr-pull' }]);
  const svc = await kube.request<KubeObject>('GET', `/api/v1/namespaces/${restoredNs}/services/orders-public`);
  assert.equal((svc.spec as any).type, 'LoadBalancer');
  const sa = await kube.request<KubeObject>('GET', `/api/v1/namespaces/${restoredNs}/serviceaccounts/orders-api`);
  assert.equal(sa.metadata!.annotations!['eks.amazonaws.com/role-arn'], AWS_REFERENCES.roleArn);
  const pvc = await kube.request<KubeObject>(
    'GET',
    `/api/v1/namespaces/${restoredNs}/persistentvolumeclaims/orders-data`,
  );
  assert.equal((pvc.spec as any).storageClassName, fixture.names.storageClass);
});
