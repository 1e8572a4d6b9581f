import { DrydockError } from '../errors';
import type { KubeRawClient } from '../kube/rawClient';
import type { SnapshotReader } from '../snapshot/archive/snapshotReader';
import type { PlannedItem } from '../snapshot/kube/restorePlan';
import { mapNamespace, type NamespaceMap } from '../snapshot/sanitize/namespaceMapping';
import type { AdaptContext, LocalAwsTarget, TargetClusterFacts } from './adaptation';
import { readTargetFacts } from './targetFacts';
import { claimsWithoutData, VELERO_REPORT_PATH } from './volumeData';

/** `auto` (the default): adapt a Velero backup, or a recovery point taken on another cluster; `on`/`off` force it. */
export type AdaptMode = 'auto' | 'on' | 'off';

/** Why a restore adapts (or not), for the report: undefined when it does not. */
export function adaptReason(mode: AdaptMode, reader: SnapshotReader, target: KubeRawClient): string | undefined {
  if (mode === 'off') return undefined;
  if (mode === 'on') return 'asked for';
  if (reader.has(VELERO_REPORT_PATH)) return 'the recovery point is a Velero backup';
  const source = reader.manifest.source.kube?.server;
  if (source !== undefined && source !== target.server)
    return `the recovery point was taken on another cluster (${source})`;
  return undefined;
}

/** Parses `--storage-class-map old=new[,old=new…]` (repeatable). */
export function parseStorageClassMap(values: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of values
    .flatMap((v) => v.split(','))
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(pair);
    if (!m)
      throw new DrydockError('invalid-input', `--storage-class-map: "${pair}" is not old=new (e.g. gp3=standard).`);
    if (map.has(m[1]!) && map.get(m[1]!) !== m[2])
      throw new DrydockError('invalid-input', `--storage-class-map maps ${m[1]} twice (${map.get(m[1]!)}, ${m[2]}).`);
    map.set(m[1]!, m[2]!);
  }
  return map;
}

/** What the restore itself creates counts as present: its classes, CRDs, Services and Secrets. */
function withPlanned(facts: TargetClusterFacts, plan: readonly PlannedItem[]): TargetClusterFacts {
  const add = (gr: string) => plan.filter((i) => i.groupResource === gr).map((i) => i.name);
  const inNs = (gr: string) =>
    plan.filter((i) => i.groupResource === gr && i.targetNamespace).map((i) => `${i.targetNamespace}/${i.name}`);
  return {
    ...facts,
    storageClasses: [...facts.storageClasses, ...add('storageclasses.storage.k8s.io')],
    ingressClasses: [...facts.ingressClasses, ...add('ingressclasses.networking.k8s.io')],
    priorityClasses: [...facts.priorityClasses, ...add('priorityclasses.scheduling.k8s.io')],
    servedGroupResources: new Set([
      ...facts.servedGroupResources,
      ...add('customresourcedefinitions.apiextensions.k8s.io'),
    ]),
    services: new Set([...(facts.services ?? []), ...inNs('services')]),
    secrets: new Set([...(facts.secrets ?? []), ...inNs('secrets')]),
  };
}

/**
 * Everything the adapters need, decided before the first write: the target's facts (read once), what the
 * restore itself creates, the user's class map (each class it names must exist here), and which claims'
 * data the recovery point lacks (Velero's report, keyed by the claim's target namespace).
 */
export async function prepareAdaptation(
  reader: SnapshotReader,
  plan: readonly PlannedItem[],
  client: KubeRawClient,
  opts: {
    namespaceMap: NamespaceMap;
    storageClassMap?: ReadonlyMap<string, string>;
    aws?: LocalAwsTarget;
    signal?: AbortSignal;
  },
): Promise<AdaptContext> {
  const namespaces = [...new Set(plan.map((i) => i.targetNamespace).filter((n): n is string => !!n))];
  const cluster = withPlanned(await readTargetFacts(client, { namespaces, signal: opts.signal }), plan);
  const storageClassMap = opts.storageClassMap ?? new Map<string, string>();
  for (const [from, to] of storageClassMap)
    if (!cluster.storageClasses.includes(to))
      throw new DrydockError(
        'invalid-input',
        `--storage-class-map ${from}=${to}: there is no StorageClass ${to} on the target (it has: ${cluster.storageClasses.join(', ') || 'none'}).`,
      );
  const volumeData = new Map<string, string>();
  for (const [key, where] of await claimsWithoutData(reader, plan)) {
    const slash = key.indexOf('/');
    volumeData.set(`${mapNamespace(key.slice(0, slash), opts.namespaceMap)}/${key.slice(slash + 1)}`, where);
  }
  return { cluster, storageClassMap, ...(opts.aws ? { aws: opts.aws } : {}), volumeData };
}
