import type { KubeObject } from '../snapshot/kubeObject';

/**
 * Production → local adaptations (a Velero backup of an EKS/GKE/AKS namespace restored into a laptop cluster).
 * Each adaptation is one documented change a restore made so the workload gets as far as it can locally, with
 * the object it touched; `--no-adapt` turns them all off (restore exactly as Velero would).
 */
export type AdaptationKind =
  | 'storage-class'
  | 'volume-data'
  | 'service-type'
  | 'ingress-class'
  | 'scheduling'
  | 'priority-class'
  | 'image-pull-secret'
  | 'workload-identity'
  | 'admission-webhook'
  | 'missing-crd'
  | 'aws-reference';

export interface Adaptation {
  kind: AdaptationKind;
  /** The object touched, as drill gaps name it: `deployments.apps/shop/web`, `persistentvolumeclaims/shop/data`. */
  subject: string;
  /** What changed, for a person: `storageClassName gp3 → standard (no StorageClass gp3 here)`. */
  change: string;
  /**
   * True when nothing could be changed to make it work: a gap the restore can only report (a custom resource
   * whose CRD is missing, volume data that is not in the recovery point, an image in a private cloud registry).
   */
  gap?: boolean;
}

/** The AWS side of the target: where references to real AWS go instead (the local emulator copies). */
export interface LocalAwsTarget {
  /** Endpoint URL per service (`http://127.0.0.1:4567` for SQS on LocalStack, moto's for DynamoDB…). */
  endpoints: { sqs?: string; dynamodb?: string; s3?: string };
  region: string;
  /** The account id the emulator uses in queue URLs and ARNs (`000000000000` on LocalStack, `123456789012` on moto). */
  accountId: string;
  /** Prefix/suffix the local copies get (the drill's scratch prefix), as for a Drydock snapshot's AWS part. */
  prefix: string;
  suffix: string;
}

/** What adapters may know about the target, gathered once before the first write. */
export interface AdaptContext {
  /** Facts about the target cluster (its StorageClasses, IngressClasses, PriorityClasses, CRDs, node labels…). */
  cluster: TargetClusterFacts;
  /** `--storage-class-map old=new,…` from the user; wins over the local default class. */
  storageClassMap: ReadonlyMap<string, string>;
  /** Undefined when the restore has no AWS target (then AWS references are reported, not rewritten). */
  aws?: LocalAwsTarget;
  /**
   * Claims whose data the recovery point does not hold (`<target namespace>/<claim>` → where the data is:
   * a cloud volume snapshot, Velero's file-system backup, or not backed up at all), from Velero's own report.
   */
  volumeData?: ReadonlyMap<string, string>;
}

/** Read once from the target cluster before planning adaptations. */
export interface TargetClusterFacts {
  storageClasses: readonly string[];
  defaultStorageClass?: string;
  ingressClasses: readonly string[];
  defaultIngressClass?: string;
  priorityClasses: readonly string[];
  /** Group-resources the API server serves (`widgets.example.com`), to tell a missing CRD. */
  servedGroupResources: ReadonlySet<string>;
  /** Label sets of the target's nodes, to tell a node selector / affinity no node satisfies. */
  nodeLabels: readonly Readonly<Record<string, string>>[];
  /**
   * Taint keys of the target's nodes, to tell a toleration for a node pool no local node belongs to. This and
   * the two below are always read by `readTargetFacts`; when absent (not known) nothing is changed on their account.
   */
  nodeTaintKeys?: ReadonlySet<string>;
  /** `namespace/name` of the Services the target has or the restore creates (admission webhooks call them). */
  services?: ReadonlySet<string>;
  /** `namespace/name` of the Secrets the target has or the restore creates (image pull secrets name them). */
  secrets?: ReadonlySet<string>;
}

/**
 * An adaptation step for one object, in place, after sanitising and reference rewriting; returns what it changed
 * (nothing when the object runs here as it is). Per-kind adapters live on the kind's `KindAction`; adapters that
 * apply to every kind (AWS references, workload identity annotations) are listed in `adapt/registry.ts`.
 */
export type ObjectAdapter = (obj: KubeObject, groupResource: string, ctx: AdaptContext) => Adaptation[];
