// Production → local (issue #11 §2) against REAL Velero: Velero backs up a production-like (EKS) namespace and the
// cluster-scoped things a laptop does not have are then removed (test/fixtures/production/productionBackup.ts), and
// `drydock drill` of the backup — run through the CLI — must name every adaptation and every gap with the object it
// touched; `--no-adapt` restores exactly as Velero would.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeRawClient } from '../../../src/core/kube/rawClient';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import type { DrillReport } from '../../../src/core/drill';
import type { RestoreReport } from '../../../src/core/snapshot';
import { awsEndpointUrl, kubeconfigPath, repoRoot, uniqueName } from '../../support/env';
import { CONTEXT, liveEnv, tempDir } from '../drill/drillEnv';
import { AWS_REFERENCES, type ProductionFixture } from '../../fixtures/production/ordersNamespace';
import { makeProductionBackup, type ProductionBackup } from '../../fixtures/production/productionBackup';

const u = Date.now().toString(36);
const bucket = uniqueName('velero-prod');
const backupName = uniqueName('orders');
let kube: KubeRawClient;
let scene: ProductionBackup;
let prodNs: string;
let fixture: ProductionFixture;
let localClass: string;
const restoredNs = uniqueName('orders-va');
const work = tempDir('prod-to-local');

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
  scene = await makeProductionBackup(kube, { u, bucket, backupName });
  ({ prodNs, fixture, localClass } = scene);
});

after(async () => {
  await kube?.request('DELETE', `/api/v1/namespaces/${restoredNs}`).catch(() => undefined);
  await scene?.cleanup();
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
