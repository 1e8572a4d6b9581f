import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { stripServerMetadata, SERVER_METADATA_FIELDS } from '../../../src/core/snapshot/sanitize/stripServerMetadata';
import { stripStatus } from '../../../src/core/snapshot/sanitize/stripStatus';
import { resetAutoNodePorts, resetServiceClusterIp } from '../../../src/core/snapshot/actions/services';
import { resetPvcBinding } from '../../../src/core/snapshot/actions/persistentvolumeclaims';
import { clearPodNodeName } from '../../../src/core/snapshot/actions/pods';
import { dropJobControllerUid } from '../../../src/core/snapshot/actions/jobs';
import { dropAutoTokenSecretRefs } from '../../../src/core/snapshot/actions/serviceaccounts';
import { remapBindingSubjects } from '../../../src/core/snapshot/actions/bindings';
import { parseNamespaceMap, remapObjectNamespace } from '../../../src/core/snapshot/sanitize/namespaceMapping';
import { sanitizeForRestore } from '../../../src/core/snapshot/sanitize';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { corpusDir } from '../../support/env';

const o = (v: unknown) => v as KubeObject;

test('strip-server-metadata removes every server-populated field and keeps the rest', () => {
  const obj = o({
    kind: 'ConfigMap',
    metadata: {
      name: 'a',
      namespace: 'n',
      labels: { x: '1' },
      uid: 'u',
      resourceVersion: '5',
      generation: 2,
      creationTimestamp: 't',
      deletionTimestamp: 't',
      deletionGracePeriodSeconds: 30,
      ownerReferences: [],
      managedFields: [],
      selfLink: '/x',
      generateName: 'a-',
    },
  });
  stripServerMetadata(obj);
  assert.deepEqual(obj.metadata, { name: 'a', namespace: 'n', labels: { x: '1' } });
  assert.ok(SERVER_METADATA_FIELDS.includes('uid'));
});

test('strip-status', () => {
  const obj = o({ kind: 'Deployment', spec: {}, status: { replicas: 1 } });
  stripStatus(obj);
  assert.equal('status' in obj, false);
});

test('service-cluster-ip: allocated IPs dropped, headless kept headless, other kinds untouched', () => {
  const svc = o({ kind: 'Service', spec: { clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.5'], ports: [] } });
  resetServiceClusterIp(svc);
  assert.deepEqual(svc.spec, { ports: [] });
  const headless = o({ kind: 'Service', spec: { clusterIP: 'None', clusterIPs: ['None'] } });
  resetServiceClusterIp(headless);
  assert.deepEqual(headless.spec, { clusterIP: 'None', clusterIPs: ['None'] });
  const other = o({ kind: 'Pod', spec: { clusterIP: '1.2.3.4' } });
  resetServiceClusterIp(other);
  assert.deepEqual(other.spec, { clusterIP: '1.2.3.4' });
});

test('service-node-ports: auto-assigned node ports dropped, explicit ones (last-applied) kept', () => {
  const applied = JSON.stringify({ spec: { ports: [{ port: 443, nodePort: 30443 }] } });
  const svc = o({
    kind: 'Service',
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': applied } },
    spec: {
      type: 'LoadBalancer',
      ports: [
        { port: 80, nodePort: 31234 },
        { port: 443, nodePort: 30443 },
      ],
      healthCheckNodePort: 32000,
    },
  });
  resetAutoNodePorts(svc);
  assert.deepEqual((svc.spec as any).ports, [{ port: 80 }, { port: 443, nodePort: 30443 }]);
  assert.equal((svc.spec as any).healthCheckNodePort, undefined);
});

test('pvc-binding: volume name and binding annotations dropped', () => {
  const pvc = o({
    kind: 'PersistentVolumeClaim',
    metadata: {
      annotations: {
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        keep: 'me',
      },
    },
    spec: { volumeName: 'pv-1', storageClassName: 'standard' },
  });
  resetPvcBinding(pvc);
  assert.deepEqual(pvc.spec, { storageClassName: 'standard' });
  assert.deepEqual(pvc.metadata!.annotations, { keep: 'me' });
});

test('pod-node-name', () => {
  const pod = o({ kind: 'Pod', spec: { nodeName: 'node-1', containers: [] } });
  clearPodNodeName(pod);
  assert.deepEqual(pod.spec, { containers: [] });
});

test('job-controller-uid: generated selector and labels dropped; manual selectors kept', () => {
  const job = o({
    kind: 'Job',
    spec: {
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } },
      template: {
        metadata: {
          labels: { 'batch.kubernetes.io/controller-uid': 'abc', 'controller-uid': 'abc', 'job-name': 'j', app: 'x' },
        },
      },
    },
  });
  dropJobControllerUid(job);
  assert.deepEqual(job.spec, { template: { metadata: { labels: { 'job-name': 'j', app: 'x' } } } });
  const manual = o({
    kind: 'Job',
    spec: { manualSelector: true, selector: { matchLabels: { 'controller-uid': 'abc' } } },
  });
  dropJobControllerUid(manual);
  assert.ok((manual.spec as any).selector);
});

test('service-account-token-refs: auto token secrets dropped from a ServiceAccount', () => {
  const sa = o({
    kind: 'ServiceAccount',
    metadata: { name: 'blee' },
    secrets: [{ name: 'blee-token-k42bt' }, { name: 'registry' }],
  });
  dropAutoTokenSecretRefs(sa);
  assert.deepEqual(sa.secrets, [{ name: 'registry' }]);
});

test('namespace mapping: items move, Namespace objects are renamed, binding subjects follow', () => {
  const map = parseNamespaceMap(['shop:shop-copy', 'a:b,c:d']);
  assert.deepEqual(
    [...map],
    [
      ['shop', 'shop-copy'],
      ['a', 'b'],
      ['c', 'd'],
    ],
  );
  const cm = o({ kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } });
  remapObjectNamespace(cm, map);
  assert.equal(cm.metadata!.namespace, 'shop-copy');
  const ns = o({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } },
  });
  remapObjectNamespace(ns, map);
  assert.equal(ns.metadata!.name, 'shop-copy');
  assert.equal(ns.metadata!.labels!['kubernetes.io/metadata.name'], 'shop-copy');
  const rb = o({
    kind: 'RoleBinding',
    metadata: { name: 'r', namespace: 'shop' },
    subjects: [
      { kind: 'ServiceAccount', name: 'app', namespace: 'shop' },
      { kind: 'ServiceAccount', name: 'mon', namespace: 'monitoring' },
      { kind: 'User', name: 'jane' },
    ],
  });
  remapBindingSubjects(rb, map);
  assert.deepEqual(rb.subjects, [
    { kind: 'ServiceAccount', name: 'app', namespace: 'shop-copy' },
    { kind: 'ServiceAccount', name: 'mon', namespace: 'monitoring' },
    { kind: 'User', name: 'jane' },
  ]);
  assert.throws(() => parseNamespaceMap(['Shop:x']));
  assert.throws(() => parseNamespaceMap(['a:b', 'a:c']));
  assert.throws(() => parseNamespaceMap(['nocolon']));
});

test('sanitizeForRestore never changes its input', () => {
  const svc = o({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'a', uid: 'u' },
    spec: { clusterIP: '10.0.0.1' },
    status: {},
  });
  const before = JSON.stringify(svc);
  const out = sanitizeForRestore(svc, { namespaceMap: new Map([['a', 'b']]) });
  assert.equal(JSON.stringify(svc), before);
  assert.deepEqual(out, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'b' }, spec: {} });
});

test('corpus: real live dumps lose every server-populated field', (t) => {
  const dir = corpusDir();
  if (!dir) {
    t.diagnostic(
      'SKIPPED: the shared corpus (../shared/corpus) is not present in this clone; the rules are covered by the fixtures above.',
    );
    return;
  }
  const files = [
    'k9s/svc.json',
    'k9s/pvc.json',
    'k9s/po.json',
    'k9s/job.json',
    'k9s/rs.json',
    'k9s/sa.json',
    'k9s/dp.json',
    'kubernetes-api-testdata/core.v1.Service.json',
    'kubernetes-api-testdata/apps.v1.Deployment.json',
    'kubernetes-api-testdata/core.v1.PersistentVolumeClaim.json',
  ];
  for (const f of files) {
    const p = join(dir, 'k8s', 'live-dumps', f);
    assert.ok(existsSync(p), p);
    const obj = JSON.parse(readFileSync(p, 'utf8')) as KubeObject;
    const out = sanitizeForRestore(obj, { namespaceMap: new Map() });
    for (const field of SERVER_METADATA_FIELDS)
      assert.equal(field in (out.metadata ?? {}), false, `${f}: metadata.${field}`);
    assert.equal('status' in out, false, `${f}: status`);
    const spec = out.spec as Record<string, unknown> | undefined;
    if (out.kind === 'Service' && spec?.clusterIP !== 'None')
      assert.equal(spec?.clusterIP, undefined, `${f}: clusterIP`);
    if (out.kind === 'PersistentVolumeClaim') assert.equal(spec?.volumeName, undefined, `${f}: volumeName`);
    if (out.kind === 'Pod') assert.equal(spec?.nodeName, undefined, `${f}: nodeName`);
    if (out.kind === 'ServiceAccount')
      assert.ok(!JSON.stringify(out.secrets ?? []).includes('-token-'), `${f}: token secret refs`);
  }
  t.diagnostic(`checked ${files.length} corpus dumps`);
});
