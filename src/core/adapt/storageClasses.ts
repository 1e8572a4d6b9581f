import { isRecord, metadataOf, type KubeObject } from '../snapshot/kubeObject';
import type { AdaptContext, Adaptation } from './adaptation';
import { subjectOf } from './podSpecs';

/** Annotations the PV controller set for the source's class; they would point the new class's claim at the old provisioner. */
const PROVISIONER_ANNOTATIONS = [
  'volume.kubernetes.io/storage-provisioner',
  'volume.beta.kubernetes.io/storage-provisioner',
];

/**
 * A claim spec's StorageClass that this cluster does not have: the class the user mapped it to
 * (`--storage-class-map`), else the local default class; with neither, reported (the claim cannot be provisioned).
 * `where` names the spec in the report (`spec`, `spec.volumeClaimTemplates[data].spec`).
 */
export function adaptClaimSpecClass(
  claimSpec: Record<string, unknown>,
  where: string,
  subject: string,
  ctx: AdaptContext,
  annotations?: Record<string, string>,
): Adaptation | undefined {
  const cls = claimSpec.storageClassName;
  if (typeof cls !== 'string' || cls === '' || ctx.cluster.storageClasses.includes(cls)) return undefined;
  const mapped = ctx.storageClassMap.get(cls);
  const to = mapped ?? ctx.cluster.defaultStorageClass;
  if (to === undefined)
    return {
      kind: 'storage-class',
      subject,
      gap: true,
      change: `${where}.storageClassName ${cls}: no StorageClass ${cls} here and no default class; nothing provisions the claim (give --storage-class-map ${cls}=<class>)`,
    };
  claimSpec.storageClassName = to;
  if (annotations) for (const a of PROVISIONER_ANNOTATIONS) delete annotations[a];
  return {
    kind: 'storage-class',
    subject,
    change: `${where}.storageClassName ${cls} → ${to} (${mapped !== undefined ? `--storage-class-map ${cls}=${to}` : `no StorageClass ${cls} here; ${to} is the local default`})`,
  };
}

/** A PersistentVolumeClaim: its class (above), and its data when the recovery point does not hold it. */
export function adaptClaim(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  if (!isRecord(obj.spec)) return [];
  const meta = metadataOf(obj);
  const subject = subjectOf(obj, groupResource);
  const out: Adaptation[] = [];
  const cls = adaptClaimSpecClass(obj.spec, 'spec', subject, ctx, meta.annotations);
  if (cls) out.push(cls);
  const where = ctx.volumeData?.get(`${meta.namespace ?? ''}/${meta.name ?? ''}`);
  if (where !== undefined)
    out.push({
      kind: 'volume-data',
      subject,
      gap: true,
      change: `volume data not restored (${where}): the claim gets a new, empty volume standing in for it`,
    });
  return out;
}

/** A StatefulSet's volumeClaimTemplates: each template's class, as for a claim. */
export function adaptClaimTemplates(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  const spec = isRecord(obj.spec) ? obj.spec : undefined;
  if (!spec || !Array.isArray(spec.volumeClaimTemplates)) return [];
  const subject = subjectOf(obj, groupResource);
  const out: Adaptation[] = [];
  for (const t of spec.volumeClaimTemplates) {
    if (!isRecord(t) || !isRecord(t.spec)) continue;
    const name = isRecord(t.metadata) && typeof t.metadata.name === 'string' ? t.metadata.name : '?';
    const a = adaptClaimSpecClass(t.spec, `spec.volumeClaimTemplates[${name}].spec`, subject, ctx);
    if (a) out.push(a);
  }
  return out;
}
