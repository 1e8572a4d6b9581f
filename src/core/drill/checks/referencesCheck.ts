import { KubeApiError } from '../../kube/kubeApiError';
import type { SkippedItem } from '../../snapshot/manifest';
import { isRecord, type KubeObject } from '../../snapshot/kubeObject';
import type { DrillCheck, DrillGap } from '../drillReport';
import { kubeSubject } from '../gaps';
import type { DrillTarget } from '../drillTarget';

/** A name one object uses to reach another: `configmaps/shop-config`, `serviceaccounts/shop-web`, `roles/reader`. */
export interface ObjectReference {
  /** Group-resource of the referenced object. */
  resource:
    | 'configmaps'
    | 'secrets'
    | 'serviceaccounts'
    | 'persistentvolumeclaims'
    | 'roles.rbac.authorization.k8s.io'
    | 'clusterroles.rbac.authorization.k8s.io';
  name: string;
  /** Namespace of the referenced object; undefined for cluster-scoped ones. */
  namespace?: string;
  /** Where in the referring object, e.g. `spec.template.spec.volumes[data]`. */
  via: string;
}

function podSpecOf(obj: KubeObject): { spec: Record<string, unknown>; at: string } | undefined {
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  if (!spec) return undefined;
  if (obj.kind === 'Pod') return { spec, at: 'spec' };
  if (obj.kind === 'CronJob') {
    const jt = isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec : undefined;
    const t = jt && isRecord(jt.template) && isRecord(jt.template.spec) ? jt.template.spec : undefined;
    return t ? { spec: t, at: 'spec.jobTemplate.spec.template.spec' } : undefined;
  }
  const t = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : undefined;
  return t ? { spec: t, at: 'spec.template.spec' } : undefined;
}

const records = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Every ConfigMap, Secret, ServiceAccount, PVC and Role an object names (optional references left out). */
export function referencesOf(obj: KubeObject): ObjectReference[] {
  const ns = obj.metadata?.namespace;
  const out: ObjectReference[] = [];
  const add = (
    resource: ObjectReference['resource'],
    name: string | undefined,
    via: string,
    namespace: string | undefined = ns,
  ) => {
    if (name)
      out.push({
        resource,
        name,
        namespace: resource === 'clusterroles.rbac.authorization.k8s.io' ? undefined : namespace,
        via,
      });
  };
  if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
    const ref = isRecord(obj.roleRef) ? obj.roleRef : {};
    if (ref.kind === 'Role') add('roles.rbac.authorization.k8s.io', str(ref.name), 'roleRef');
    if (ref.kind === 'ClusterRole') add('clusterroles.rbac.authorization.k8s.io', str(ref.name), 'roleRef');
    for (const s of records(obj.subjects))
      if (s.kind === 'ServiceAccount')
        add('serviceaccounts', str(s.name), `subjects[${String(s.name)}]`, str(s.namespace) ?? ns);
    return out;
  }
  const pod = podSpecOf(obj);
  if (!pod) return out;
  const { spec, at } = pod;
  add('serviceaccounts', str(spec.serviceAccountName) ?? 'default', `${at}.serviceAccountName`);
  for (const s of records(spec.imagePullSecrets)) add('secrets', str(s.name), `${at}.imagePullSecrets`);
  for (const v of records(spec.volumes)) {
    const where = `${at}.volumes[${String(v.name)}]`;
    if (isRecord(v.configMap) && v.configMap.optional !== true) add('configmaps', str(v.configMap.name), where);
    if (isRecord(v.secret) && v.secret.optional !== true) add('secrets', str(v.secret.secretName), where);
    if (isRecord(v.persistentVolumeClaim)) add('persistentvolumeclaims', str(v.persistentVolumeClaim.claimName), where);
    if (isRecord(v.projected)) {
      for (const src of records(v.projected.sources)) {
        if (isRecord(src.configMap) && src.configMap.optional !== true)
          add('configmaps', str(src.configMap.name), where);
        if (isRecord(src.secret) && src.secret.optional !== true) add('secrets', str(src.secret.name), where);
      }
    }
  }
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of records(spec[list])) {
      const where = `${at}.${list}[${String(c.name)}]`;
      for (const e of records(c.envFrom)) {
        if (isRecord(e.configMapRef) && e.configMapRef.optional !== true)
          add('configmaps', str(e.configMapRef.name), `${where}.envFrom`);
        if (isRecord(e.secretRef) && e.secretRef.optional !== true)
          add('secrets', str(e.secretRef.name), `${where}.envFrom`);
      }
      for (const e of records(c.env)) {
        const from = isRecord(e.valueFrom) ? e.valueFrom : undefined;
        if (!from) continue;
        if (isRecord(from.configMapKeyRef) && from.configMapKeyRef.optional !== true)
          add('configmaps', str(from.configMapKeyRef.name), `${where}.env[${String(e.name)}]`);
        if (isRecord(from.secretKeyRef) && from.secretKeyRef.optional !== true)
          add('secrets', str(from.secretKeyRef.name), `${where}.env[${String(e.name)}]`);
      }
    }
  }
  return out;
}

const PATHS: Record<ObjectReference['resource'], (ns: string | undefined, name: string) => string> = {
  configmaps: (ns, n) => `/api/v1/namespaces/${ns}/configmaps/${encodeURIComponent(n)}`,
  secrets: (ns, n) => `/api/v1/namespaces/${ns}/secrets/${encodeURIComponent(n)}`,
  serviceaccounts: (ns, n) => `/api/v1/namespaces/${ns}/serviceaccounts/${encodeURIComponent(n)}`,
  persistentvolumeclaims: (ns, n) => `/api/v1/namespaces/${ns}/persistentvolumeclaims/${encodeURIComponent(n)}`,
  'roles.rbac.authorization.k8s.io': (ns, n) =>
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles/${encodeURIComponent(n)}`,
  'clusterroles.rbac.authorization.k8s.io': (_ns, n) =>
    `/apis/rbac.authorization.k8s.io/v1/clusterroles/${encodeURIComponent(n)}`,
};

const REFERRING = [
  '/apis/apps/v1/namespaces/NS/deployments',
  '/apis/apps/v1/namespaces/NS/statefulsets',
  '/apis/apps/v1/namespaces/NS/daemonsets',
  '/apis/apps/v1/namespaces/NS/replicasets',
  '/apis/batch/v1/namespaces/NS/jobs',
  '/apis/batch/v1/namespaces/NS/cronjobs',
  '/api/v1/namespaces/NS/pods',
  '/apis/rbac.authorization.k8s.io/v1/namespaces/NS/rolebindings',
];

/**
 * Every ConfigMap, Secret, ServiceAccount, PVC and Role that a workload or binding in the drill target names
 * must exist there, and every custom resource of the recovery point must have its type served. A missing one
 * is an `unresolved-reference` gap; when the snapshot skipped it by policy, the gap says why.
 */
export async function checkReferences(
  t: DrillTarget,
  skipped: readonly SkippedItem[],
): Promise<{ checks: DrillCheck[]; gaps: DrillGap[] }> {
  const checks: DrillCheck[] = [];
  const gaps: DrillGap[] = [];
  const cache = new Map<string, boolean>();
  const exists = async (path: string) => {
    if (!cache.has(path)) {
      try {
        await t.kube.request('GET', path, undefined, { signal: t.signal });
        cache.set(path, true);
      } catch (error) {
        if (!(KubeApiError.is(error) && error.statusCode === 404)) throw error;
        cache.set(path, false);
      }
    }
    return cache.get(path)!;
  };
  // In the drill's own namespaces a referenced type is listed once (names only kept): one GET per reference made
  // this check most of a large drill's time. Elsewhere (a subject in another namespace, a ClusterRole): a GET.
  const targets = new Set(t.namespaceMap.values());
  const listed = new Map<string, Promise<Set<string>>>();
  const namesIn = (collection: string) => {
    let names = listed.get(collection);
    if (!names) {
      names = (async () => {
        const out = new Set<string>();
        for await (const o of t.kube.listAll(collection, { signal: t.signal }))
          if (isRecord(o) && isRecord(o.metadata) && typeof o.metadata.name === 'string') out.add(o.metadata.name);
        return out;
      })();
      listed.set(collection, names);
    }
    return names;
  };
  const resolves = async (ref: ObjectReference) => {
    if (ref.namespace === undefined || !targets.has(ref.namespace))
      return exists(PATHS[ref.resource](ref.namespace, ref.name));
    return (await namesIn(PATHS[ref.resource](ref.namespace, '').replace(/\/$/, ''))).has(ref.name);
  };
  const sourceNs = (ns: string | undefined) => [...t.namespaceMap].find(([, to]) => to === ns)?.[0] ?? ns;
  let total = 0;
  const missing: string[] = [];
  for (const ns of t.namespaceMap.values()) {
    for (const list of REFERRING) {
      const items = (await t.kube.list(list.replace('NS', encodeURIComponent(ns)), { signal: t.signal })).items.filter(
        isRecord,
      ) as KubeObject[];
      const kind = list.slice(list.lastIndexOf('/') + 1);
      for (const raw of items) {
        const obj = {
          ...raw,
          kind: raw.kind ?? kindOf(kind),
          metadata: { ...raw.metadata, namespace: ns },
        } as KubeObject;
        // Pods and replica sets a controller owns are checked through their owner's template.
        if (Array.isArray(obj.metadata?.ownerReferences) && obj.metadata.ownerReferences.some((o) => o.controller))
          continue;
        for (const ref of referencesOf(obj)) {
          total++;
          if (await resolves(ref)) continue;
          const from = kubeSubject(groupResourceOfKind(kind), sourceNs(ns), obj.metadata!.name!);
          const target = kubeSubject(ref.resource, sourceNs(ref.namespace), ref.name);
          const skip = skipped.find(
            (s) => (s.group ? `${s.resource}.${s.group}` : s.resource) === ref.resource && s.name === ref.name,
          );
          const message = `${from} names ${target} (${ref.via}), which is not in the drill target${skip ? `: the snapshot skipped it (${skip.reason})` : ': it is not in the recovery point'}`;
          missing.push(`${target} (from ${obj.metadata!.name})`);
          gaps.push({ kind: 'unresolved-reference', subject: target, message });
        }
      }
    }
  }
  checks.push({
    category: 'references',
    name: 'every ConfigMap, Secret, ServiceAccount, PVC and Role named by a workload or binding exists',
    passed: missing.length === 0,
    detail:
      missing.length === 0
        ? `${total} reference(s) resolved`
        : `${missing.length} of ${total} unresolved: ${[...new Set(missing)].slice(0, 6).join(', ')}`,
  });
  // Custom resources need their definition on the target.
  const customTypes = new Set(
    t.plan.filter((i) => i.type.group.includes('.') && i.type.namespaced).map((i) => i.groupResource),
  );
  for (const gr of customTypes) {
    if (gr.endsWith('.k8s.io')) continue;
    const ok = await exists(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${gr}`);
    const count = t.plan.filter((i) => i.groupResource === gr).length;
    checks.push({
      category: 'references',
      name: `CustomResourceDefinition ${gr} exists for its ${count} custom resource(s)`,
      passed: ok,
      detail: ok ? undefined : 'not on the target and not in the recovery point',
    });
    if (!ok)
      gaps.push({
        kind: 'unresolved-reference',
        subject: `customresourcedefinitions.apiextensions.k8s.io/${gr}`,
        message: `${count} custom resource(s) of type ${gr} need this CustomResourceDefinition; it is neither in the recovery point nor on the target`,
      });
  }
  return { checks, gaps };
}

function kindOf(resource: string): string {
  const kinds: Record<string, string> = {
    deployments: 'Deployment',
    statefulsets: 'StatefulSet',
    daemonsets: 'DaemonSet',
    replicasets: 'ReplicaSet',
    jobs: 'Job',
    cronjobs: 'CronJob',
    pods: 'Pod',
    rolebindings: 'RoleBinding',
  };
  return kinds[resource] ?? resource;
}

function groupResourceOfKind(resource: string): string {
  const groups: Record<string, string> = {
    deployments: 'apps',
    statefulsets: 'apps',
    daemonsets: 'apps',
    replicasets: 'apps',
    jobs: 'batch',
    cronjobs: 'batch',
    rolebindings: 'rbac.authorization.k8s.io',
  };
  return groups[resource] ? `${resource}.${groups[resource]}` : resource;
}
