import { metadataOf, type KubeObject } from '../snapshot/kubeObject';
import type { AdaptContext, Adaptation } from './adaptation';
import { podSpecOf, subjectOf } from './podSpecs';

/** Workload-identity annotations per cloud: the token webhook that acts on them exists only in that cloud. */
const IDENTITY_ANNOTATIONS: Array<{ key: string; what: string }> = [
  { key: 'eks.amazonaws.com/role-arn', what: 'EKS IAM role for the service account (IRSA)' },
  { key: 'eks.amazonaws.com/audience', what: 'EKS IRSA token audience' },
  { key: 'eks.amazonaws.com/sts-regional-endpoints', what: 'EKS IRSA STS endpoint choice' },
  { key: 'eks.amazonaws.com/token-expiration', what: 'EKS IRSA token lifetime' },
  { key: 'iam.gke.io/gcp-service-account', what: 'GKE Workload Identity Google service account' },
  { key: 'azure.workload.identity/client-id', what: 'Azure Workload Identity client id' },
  { key: 'azure.workload.identity/tenant-id', what: 'Azure Workload Identity tenant id' },
  { key: 'azure.workload.identity/service-account-token-expiration', what: 'Azure Workload Identity token lifetime' },
];
const AZURE_USE_LABEL = 'azure.workload.identity/use';

/**
 * Workload-identity annotations (IRSA, GKE, Azure) on any object, and Azure's opt-in label on pods: removed and
 * reported. Locally no webhook injects cloud credentials, so the workload runs without that identity (its AWS
 * calls go to the local emulator, never to the account named here).
 */
export function adaptWorkloadIdentity(obj: KubeObject, groupResource: string, _ctx: AdaptContext): Adaptation[] {
  const subject = subjectOf(obj, groupResource);
  const out: Adaptation[] = [];
  const strip = (annotations: Record<string, string> | undefined, where: string) => {
    if (!annotations) return;
    for (const { key, what } of IDENTITY_ANNOTATIONS) {
      if (!(key in annotations)) continue;
      out.push({
        kind: 'workload-identity',
        subject,
        change: `${where}annotation ${key}=${annotations[key]} removed (${what}): no workload-identity webhook here, so the pods get no cloud credentials from it`,
      });
      delete annotations[key];
    }
  };
  const meta = metadataOf(obj);
  strip(meta.annotations, '');
  if (out.length && meta.annotations && Object.keys(meta.annotations).length === 0) delete meta.annotations;
  const pod = podSpecOf(obj);
  if (pod && obj.kind !== 'Pod') {
    const annotations = pod.metadata.annotations as Record<string, string> | undefined;
    strip(annotations, 'pod template ');
  }
  const labels = (pod ? pod.metadata.labels : undefined) as Record<string, string> | undefined;
  if (labels && AZURE_USE_LABEL in labels) {
    out.push({
      kind: 'workload-identity',
      subject,
      change: `pod label ${AZURE_USE_LABEL}=${labels[AZURE_USE_LABEL]} removed (Azure Workload Identity opt-in): no such webhook here`,
    });
    delete labels[AZURE_USE_LABEL];
  }
  return out;
}
