import { isRecord, metadataOf, type KubeObject } from '../snapshot/kubeObject';
import type { AdaptContext, Adaptation } from './adaptation';
import { containersOf, podSpecOf, subjectOf } from './podSpecs';

/**
 * Registries a managed cluster's nodes pull from with their cloud identity (no pull secret in the namespace):
 * Amazon ECR (EKS node role) and Azure Container Registry (AKS kubelet identity). Always private; a laptop
 * needs its own login. Google's registries are left out: many of their images are public.
 */
const CLOUD_PRIVATE_REGISTRIES: Array<{ re: RegExp; name: string }> = [
  { re: /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/, name: 'Amazon ECR' },
  { re: /^[a-z0-9]+\.azurecr\.(io|cn|us)$/, name: 'Azure Container Registry' },
];

export function registryOf(image: string): string {
  const first = image.split('/')[0] ?? '';
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io';
}

/**
 * Image pull secrets the restore cannot provide (neither in the recovery point nor on the target) are removed,
 * and images in a cloud provider's private registry are reported: this machine needs credentials for them.
 */
export function adaptImagePull(obj: KubeObject, groupResource: string, ctx: AdaptContext): Adaptation[] {
  const pod = podSpecOf(obj);
  if (!pod) return [];
  const subject = subjectOf(obj, groupResource);
  const ns = metadataOf(obj).namespace ?? '';
  const out: Adaptation[] = [];
  const images = [
    ...new Set(
      containersOf(pod.spec)
        .map((c) => (typeof c.image === 'string' ? c.image : ''))
        .filter(Boolean),
    ),
  ];
  if (Array.isArray(pod.spec.imagePullSecrets)) {
    const registries = [...new Set(images.map(registryOf))].join(', ');
    const kept = pod.spec.imagePullSecrets.filter((s) => {
      if (!isRecord(s) || typeof s.name !== 'string') return true;
      if (!ctx.cluster.secrets || ctx.cluster.secrets.has(`${ns}/${s.name}`)) return true;
      out.push({
        kind: 'image-pull-secret',
        subject,
        change: `${pod.path}.imagePullSecrets ${s.name} removed: no Secret ${s.name} in the recovery point or here (images from ${registries} need a login on this machine)`,
      });
      return false;
    });
    if (kept.length) pod.spec.imagePullSecrets = kept;
    else delete pod.spec.imagePullSecrets;
  }
  for (const image of images) {
    const registry = registryOf(image);
    const cloud = CLOUD_PRIVATE_REGISTRIES.find((r) => r.re.test(registry));
    if (!cloud) continue;
    out.push({
      kind: 'image-pull-secret',
      subject,
      gap: true,
      change: `image ${image} is in ${cloud.name} (${registry}): the cloud's nodes pull it with their own identity; this machine needs a login to ${registry} or the image loaded into the cluster`,
    });
  }
  return out;
}
