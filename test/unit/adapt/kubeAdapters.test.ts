// Production → local adaptations of Kubernetes objects (issue #11 §2), on objects shaped as an EKS/GKE/AKS
// namespace's Velero backup holds them (sanitised, namespace-mapped), against the facts of a laptop cluster.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AdaptContext, TargetClusterFacts } from '../../../src/core/adapt/adaptation';
import { adaptObject } from '../../../src/core/adapt/registry';
import { parseStorageClassMap, adaptReason } from '../../../src/core/adapt/prepareAdaptation';
import { registryOf } from '../../../src/core/adapt/imagePull';
import { sanitizeForRestore } from '../../../src/core/snapshot/sanitize';
import type { KubeObject } from '../../../src/core/snapshot/kubeObject';
import { corpusDir } from '../../support/env';

/** A kind-like laptop cluster: one node, a default class `standard`, an nginx IngressClass, no PriorityClasses. */
function laptop(over: Partial<TargetClusterFacts> = {}): TargetClusterFacts {
  return {
    storageClasses: ['standard'],
    defaultStorageClass: 'standard',
    ingressClasses: ['nginx'],
    defaultIngressClass: 'nginx',
    priorityClasses: ['system-cluster-critical', 'system-node-critical'],
    servedGroupResources: new Set([
      'pods',
      'services',
      'deployments.apps',
      'statefulsets.apps',
      'ingresses.networking.k8s.io',
      'validatingwebhookconfigurations.admissionregistration.k8s.io',
    ]),
    nodeLabels: [
      {
        'kubernetes.io/hostname': 'kind-control-plane',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
      },
    ],
    nodeTaintKeys: new Set(),
    services: new Set(['default/kubernetes']),
    secrets: new Set(['orders/db-credentials']),
    ...over,
  };
}

function ctx(over: Partial<TargetClusterFacts> = {}, more: Partial<AdaptContext> = {}): AdaptContext {
  return { cluster: laptop(over), storageClassMap: new Map(), ...more };
}

/** An EKS Deployment as `kubectl get -o json` shows it: a node group, a Spot toleration, zones, a PriorityClass, ECR. */
function eksDeployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'orders-api', namespace: 'orders', labels: { app: 'orders-api' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'orders-api' } },
      template: {
        metadata: { labels: { app: 'orders-api' } },
        spec: {
          serviceAccountName: 'orders-api',
          priorityClassName: 'business-critical',
          priority: 100000,
          preemptionPolicy: 'PreemptLowerPriority',
          nodeSelector: { 'eks.amazonaws.com/nodegroup': 'orders-ng', 'kubernetes.io/os': 'linux' },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  {
                    matchExpressions: [
                      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large', 'm5.xlarge'] },
                    ],
                  },
                ],
              },
            },
          },
          tolerations: [
            { key: 'eks.amazonaws.com/capacityType', operator: 'Equal', value: 'SPOT', effect: 'NoSchedule' },
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          ],
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { app: 'orders-api' } },
            },
          ],
          imagePullSecrets: [{ name: 'ecr-pull' }, { name: 'db-credentials' }],
          containers: [{ name: 'api', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.42.0' }],
          initContainers: [{ name: 'migrate', image: 'docker.io/library/postgres:16' }],
        },
      },
    },
  };
}

test('a Deployment for an EKS node group: node pool, zone spread, PriorityClass and pull secret adapted; ECR reported', () => {
  const d = eksDeployment();
  const out = adaptObject(d, 'deployments.apps', ctx());
  const spec = (d.spec as any).template.spec;
  assert.deepEqual(spec.nodeSelector, { 'kubernetes.io/os': 'linux' }, 'the node group entry goes, the OS stays');
  assert.equal(spec.affinity, undefined, 'the instance-type requirement no node meets is removed');
  assert.deepEqual(
    spec.tolerations.map((t: any) => t.key),
    ['node.kubernetes.io/not-ready'],
    "Kubernetes' own taints stay tolerated",
  );
  assert.equal(spec.topologySpreadConstraints[0].whenUnsatisfiable, 'ScheduleAnyway');
  assert.equal(spec.priorityClassName, undefined);
  assert.equal(spec.priority, undefined, "the source's priority value would be refused without its class");
  assert.deepEqual(spec.imagePullSecrets, [{ name: 'db-credentials' }], 'a Secret the restore has stays');
  const byKind = (k: string) => out.filter((a) => a.kind === k);
  assert.equal(byKind('scheduling').length, 4, JSON.stringify(out, null, 1));
  assert.match(byKind('scheduling')[0]!.change, /nodeSelector eks\.amazonaws\.com\/nodegroup=orders-ng removed/);
  assert.match(byKind('priority-class')[0]!.change, /business-critical removed: no PriorityClass/);
  const pulls = byKind('image-pull-secret');
  assert.ok(pulls.some((a) => !a.gap && /imagePullSecrets ecr-pull removed/.test(a.change)));
  const ecr = pulls.find((a) => a.gap);
  assert.match(ecr!.change, /Amazon ECR \(123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\)/);
  assert.equal(pulls.length, 2, 'docker.io is not reported');
  for (const a of out) assert.equal(a.subject, 'deployments.apps/orders/orders-api');
});

test('scheduling that a local node satisfies is left alone', () => {
  const d = eksDeployment();
  const spec = (d.spec as any).template.spec;
  const node = {
    'kubernetes.io/os': 'linux',
    'eks.amazonaws.com/nodegroup': 'orders-ng',
    'node.kubernetes.io/instance-type': 'm5.large',
    'topology.kubernetes.io/zone': 'eu-west-1a',
  };
  const before = structuredClone(spec);
  const out = adaptObject(
    d,
    'deployments.apps',
    ctx({
      nodeLabels: [node],
      nodeTaintKeys: new Set(['eks.amazonaws.com/capacityType']),
      priorityClasses: ['business-critical'],
      secrets: new Set(['orders/ecr-pull', 'orders/db-credentials']),
    }),
  );
  assert.deepEqual(spec, before);
  assert.deepEqual(
    out.map((a) => a.kind),
    ['image-pull-secret'],
    'only the ECR image is reported (a gap, nothing changed)',
  );
  assert.equal(out[0]!.gap, true);
});

test('a claim of an EBS class: mapped by --storage-class-map, else the local default, else reported', () => {
  const claim = (): KubeObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: 'data',
      namespace: 'orders',
      annotations: { 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com' },
    },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } },
  });
  const a = claim();
  const viaDefault = adaptObject(a, 'persistentvolumeclaims', ctx());
  assert.equal((a.spec as any).storageClassName, 'standard');
  assert.equal(a.metadata!.annotations?.['volume.kubernetes.io/storage-provisioner'], undefined);
  assert.match(
    viaDefault[0]!.change,
    /storageClassName gp3 → standard \(no StorageClass gp3 here; standard is the local default\)/,
  );

  const b = claim();
  const viaMap = adaptObject(
    b,
    'persistentvolumeclaims',
    ctx({ storageClasses: ['standard', 'fast'] }, { storageClassMap: new Map([['gp3', 'fast']]) }),
  );
  assert.equal((b.spec as any).storageClassName, 'fast');
  assert.match(viaMap[0]!.change, /gp3 → fast \(--storage-class-map gp3=fast\)/);

  const c = claim();
  const none = adaptObject(c, 'persistentvolumeclaims', ctx({ storageClasses: [], defaultStorageClass: undefined }));
  assert.equal((c.spec as any).storageClassName, 'gp3', 'unchanged when there is nothing to map to');
  assert.equal(none[0]!.gap, true);
  assert.match(none[0]!.change, /give --storage-class-map gp3=<class>/);

  const d = claim();
  const data = adaptObject(
    d,
    'persistentvolumeclaims',
    ctx({}, { volumeData: new Map([['orders/data', 'its data is in a aws volume snapshot of pv-1']]) }),
  );
  const vd = data.find((x) => x.kind === 'volume-data');
  assert.ok(vd?.gap);
  assert.match(vd.change, /volume data not restored \(its data is in a aws volume snapshot of pv-1\)/);
});

test("a StatefulSet's volumeClaimTemplates get the same class mapping", () => {
  const sts: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'ledger', namespace: 'orders' },
    spec: {
      serviceName: 'ledger',
      selector: { matchLabels: { app: 'ledger' } },
      template: {
        metadata: { labels: { app: 'ledger' } },
        spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
      },
      volumeClaimTemplates: [
        { metadata: { name: 'wal' }, spec: { storageClassName: 'io2', accessModes: ['ReadWriteOnce'] } },
        { metadata: { name: 'data' }, spec: { storageClassName: 'standard', accessModes: ['ReadWriteOnce'] } },
      ],
    },
  };
  const out = adaptObject(sts, 'statefulsets.apps', ctx());
  assert.deepEqual(
    (sts.spec as any).volumeClaimTemplates.map((t: any) => t.spec.storageClassName),
    ['standard', 'standard'],
  );
  assert.equal(out.length, 1);
  assert.match(out[0]!.change, /volumeClaimTemplates\[wal\]\.spec\.storageClassName io2 → standard/);
});

test('a LoadBalancer Service with AWS NLB fields becomes NodePort; the API would refuse the LB-only fields', () => {
  const svc: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'orders-public',
      namespace: 'orders',
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
    },
    spec: {
      type: 'LoadBalancer',
      loadBalancerClass: 'service.k8s.aws/nlb',
      loadBalancerSourceRanges: ['10.0.0.0/8'],
      allocateLoadBalancerNodePorts: true,
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 31999,
      selector: { app: 'orders-api' },
      ports: [{ name: 'https', port: 443, targetPort: 8443, nodePort: 30443 }],
    },
  };
  const out = adaptObject(svc, 'services', ctx());
  const spec = svc.spec as any;
  assert.equal(spec.type, 'NodePort');
  for (const f of [
    'loadBalancerClass',
    'loadBalancerSourceRanges',
    'allocateLoadBalancerNodePorts',
    'healthCheckNodePort',
  ])
    assert.equal(spec[f], undefined, f);
  assert.equal(spec.externalTrafficPolicy, 'Local', 'valid for NodePort: kept');
  assert.equal(out.length, 1);
  assert.match(out[0]!.change, /LoadBalancer → NodePort: no cloud load balancer here/);
});

test('Ingress classes: an ALB class goes to the local default; class-less ones are said to be served by it; none here is a gap', () => {
  const ing = (cls?: string, annotation?: string): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'orders',
      namespace: 'orders',
      annotations: {
        'alb.ingress.kubernetes.io/scheme': 'internet-facing',
        ...(annotation ? { 'kubernetes.io/ingress.class': annotation } : {}),
      },
    },
    spec: {
      ...(cls ? { ingressClassName: cls } : {}),
      rules: [
        {
          host: 'orders.example.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'orders-api', port: { number: 80 } } } },
            ],
          },
        },
      ],
    },
  });
  const alb = ing('alb');
  assert.match(adaptObject(alb, 'ingresses.networking.k8s.io', ctx())[0]!.change, /ingress class alb → nginx/);
  assert.equal((alb.spec as any).ingressClassName, 'nginx');

  const gce = ing(undefined, 'gce');
  adaptObject(gce, 'ingresses.networking.k8s.io', ctx());
  assert.equal((gce.spec as any).ingressClassName, 'nginx');
  assert.equal(gce.metadata!.annotations!['kubernetes.io/ingress.class'], undefined);

  const classless = ing();
  const out = adaptObject(classless, 'ingresses.networking.k8s.io', ctx());
  assert.match(out[0]!.change, /local default IngressClass nginx serves it/);
  assert.equal((classless.spec as any).ingressClassName, undefined, 'left to the default');

  const nothing = adaptObject(
    ing('alb'),
    'ingresses.networking.k8s.io',
    ctx({ ingressClasses: [], defaultIngressClass: undefined }),
  );
  assert.equal(nothing[0]!.gap, true);
  assert.match(nothing[0]!.change, /no IngressClass alb here and no default class/);

  assert.deepEqual(adaptObject(ing('nginx'), 'ingresses.networking.k8s.io', ctx()), []);
});

test('workload identity: IRSA, GKE and Azure annotations are removed and reported; the rest stays', () => {
  const sa: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: 'orders-api',
      namespace: 'orders',
      annotations: {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/orders-api',
        'eks.amazonaws.com/sts-regional-endpoints': 'true',
        'iam.gke.io/gcp-service-account': 'orders@prod-project.iam.gserviceaccount.com',
        'azure.workload.identity/client-id': '00000000-1111-2222-3333-444444444444',
        'meta.helm.sh/release-name': 'orders',
      },
    },
  };
  const out = adaptObject(sa, 'serviceaccounts', ctx());
  assert.deepEqual(sa.metadata!.annotations, { 'meta.helm.sh/release-name': 'orders' });
  assert.equal(out.length, 4);
  assert.ok(out.every((a) => a.kind === 'workload-identity' && a.subject === 'serviceaccounts/orders/orders-api'));
  assert.match(
    out[0]!.change,
    /eks\.amazonaws\.com\/role-arn=arn:aws:iam::123456789012:role\/orders-api removed \(EKS IAM role/,
  );

  const pod: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w', namespace: 'orders' },
    spec: {
      template: { metadata: { labels: { app: 'w', 'azure.workload.identity/use': 'true' } }, spec: { containers: [] } },
    },
  };
  const podOut = adaptObject(pod, 'deployments.apps', ctx());
  assert.deepEqual((pod.spec as any).template.metadata.labels, { app: 'w' });
  assert.match(podOut[0]!.change, /azure\.workload\.identity\/use=true removed/);
});

test('admission webhooks whose Service is not here are removed; those whose Service is here stay', () => {
  const hook = (name: string, ns: string, svc: string, failurePolicy?: string) => ({
    name,
    clientConfig: { service: { namespace: ns, name: svc, path: '/validate' }, caBundle: 'LS0t' },
    rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...(failurePolicy ? { failurePolicy } : {}),
  });
  const cfg: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'gatekeeper-validating-webhook-configuration' },
    webhooks: [
      hook('validation.gatekeeper.sh', 'gatekeeper-system', 'gatekeeper-webhook-service'),
      hook('ok.example.com', 'default', 'kubernetes', 'Ignore'),
    ],
  };
  const out = adaptObject(cfg, 'validatingwebhookconfigurations.admissionregistration.k8s.io', ctx());
  assert.deepEqual(
    (cfg.webhooks as any[]).map((w) => w.name),
    ['ok.example.com'],
  );
  assert.equal(out.length, 1);
  assert.match(
    out[0]!.change,
    /webhook validation\.gatekeeper\.sh removed: its Service gatekeeper-system\/gatekeeper-webhook-service is not here \(with failurePolicy Fail the API server would refuse every object it matches\)/,
  );
  assert.equal(
    out[0]!.subject,
    'validatingwebhookconfigurations.admissionregistration.k8s.io/gatekeeper-validating-webhook-configuration',
  );
});

test('a webhook configuration left with no webhook has no list at all, as the API server stores it', () => {
  const cfg: KubeObject = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: 'istio-sidecar-injector' },
    webhooks: [{ name: 'inject.istio.io', clientConfig: { service: { namespace: 'istio-system', name: 'istiod' } } }],
  };
  const out = adaptObject(cfg, 'mutatingwebhookconfigurations.admissionregistration.k8s.io', ctx());
  assert.deepEqual(
    out.filter((a) => a.kind === 'admission-webhook').map((a) => a.change.split(':')[0]),
    ['webhook inject.istio.io removed'],
    JSON.stringify(out),
  );
  assert.equal('webhooks' in cfg, false, JSON.stringify(cfg));
});

test('a custom resource whose CRD is missing is one gap naming the CRD, and nothing else is attempted on it', () => {
  const cr: KubeObject = {
    apiVersion: 'external-secrets.io/v1beta1',
    kind: 'ExternalSecret',
    metadata: {
      name: 'db',
      namespace: 'orders',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' },
    },
    spec: { secretStoreRef: { name: 'aws', kind: 'ClusterSecretStore' } },
  };
  const out = adaptObject(cr, 'externalsecrets.external-secrets.io', ctx());
  assert.equal(out.length, 1);
  assert.deepEqual({ kind: out[0]!.kind, gap: out[0]!.gap }, { kind: 'missing-crd', gap: true });
  assert.match(
    out[0]!.change,
    /no CustomResourceDefinition externalsecrets\.external-secrets\.io here or in the recovery point/,
  );
  assert.deepEqual(
    adaptObject(
      structuredClone(cr),
      'externalsecrets.external-secrets.io',
      ctx({ servedGroupResources: new Set(['externalsecrets.external-secrets.io']) }),
    ).map((a) => a.kind),
    ['workload-identity'],
    'served: it is adapted like any object',
  );
});

test('--storage-class-map parses old=new lists and refuses what is not a mapping', () => {
  assert.deepEqual(
    [...parseStorageClassMap(['gp3=standard,io2=fast', 'gp2=standard'])],
    [
      ['gp3', 'standard'],
      ['io2', 'fast'],
      ['gp2', 'standard'],
    ],
  );
  assert.throws(() => parseStorageClassMap(['gp3']), /"gp3" is not old=new/);
  assert.throws(() => parseStorageClassMap(['gp3=a', 'gp3=b']), /maps gp3 twice/);
});

test('the default: adapt a Velero backup or another cluster, not a recovery point of this cluster; --no-adapt / --adapt win', () => {
  const reader = (velero: boolean, server: string) =>
    ({ has: (p: string) => velero && p === 'drydock/velero.json', manifest: { source: { kube: { server } } } }) as any;
  const here = { server: 'https://127.0.0.1:6443' } as any;
  assert.equal(adaptReason('auto', reader(true, 'velero'), here), 'the recovery point is a Velero backup');
  assert.match(adaptReason('auto', reader(false, 'https://eks.example:443'), here)!, /another cluster/);
  assert.equal(adaptReason('auto', reader(false, 'https://127.0.0.1:6443'), here), undefined);
  assert.equal(adaptReason('off', reader(true, 'velero'), here), undefined);
  assert.equal(adaptReason('on', reader(false, 'https://127.0.0.1:6443'), here), 'asked for');
});

test('image registries are told apart as the container runtime does', () => {
  assert.equal(registryOf('nginx:1.27'), 'docker.io');
  assert.equal(registryOf('bitnami/redis:7'), 'docker.io');
  assert.equal(registryOf('localhost:5000/app'), 'localhost:5000');
  assert.equal(registryOf('myregistry.azurecr.io/orders:2'), 'myregistry.azurecr.io');
});

test('corpus: the GKE guestbook frontend (LoadBalancer) and a live claim of class "standard" on a cluster without it', (t) => {
  const dir = corpusDir();
  if (!dir) {
    t.diagnostic(
      'SKIPPED: the shared corpus (../shared/corpus) is not present in this clone; the objects above cover the rules.',
    );
    return;
  }
  const svc = parse(readFileSync(join(dir, 'k8s/guestbook/gke-samples/frontend-service.yaml'), 'utf8')) as KubeObject;
  const s = sanitizeForRestore(svc, { namespaceMap: new Map() }, 'services');
  const out = adaptObject(s, 'services', ctx());
  assert.equal((s.spec as any).type, 'NodePort');
  assert.equal(out[0]!.kind, 'service-type');

  const dump = JSON.parse(readFileSync(join(dir, 'k8s/live-dumps/k9s/pvc.json'), 'utf8')) as {
    items?: KubeObject[];
  } & KubeObject;
  const pvc = sanitizeForRestore(dump.items?.[0] ?? dump, { namespaceMap: new Map() }, 'persistentvolumeclaims');
  const pout = adaptObject(
    pvc,
    'persistentvolumeclaims',
    ctx({ storageClasses: ['local-path'], defaultStorageClass: 'local-path' }),
  );
  assert.equal((pvc.spec as any).storageClassName, 'local-path');
  assert.match(pout[0]!.change, /standard → local-path/);
});
