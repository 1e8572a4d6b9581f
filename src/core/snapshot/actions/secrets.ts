import { metadataOf, type KubeObject } from '../kubeObject';
import type { KindAction } from './kindAction';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Legacy auto-created token secrets: `<sa>-token-xxxxx` of type service-account-token. */
export function isAutoTokenSecret(obj: KubeObject): boolean {
  if (obj.type !== 'kubernetes.io/service-account-token') return false;
  const meta = metadataOf(obj);
  const sa = meta.annotations?.['kubernetes.io/service-account.name'];
  return !!sa && !!meta.name && new RegExp(`^${escapeRegExp(sa)}-token-[a-z0-9]{5}$`).test(meta.name);
}

export const secrets: KindAction = {
  groupResource: 'secrets',
  group: '',
  kind: 'Secret',
  skipReason: (obj) =>
    isAutoTokenSecret(obj) ? 'service account token created by the cluster; a new one is issued' : undefined,
};
