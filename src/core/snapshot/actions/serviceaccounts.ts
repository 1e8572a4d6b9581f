import { isRecord, metadataOf, type KubeObject } from '../kubeObject';
import type { KindAction } from './kindAction';

/** A ServiceAccount's list of auto-created token secrets (`<sa>-token-xxxxx`) refers to secrets that are not restored. */
export function dropAutoTokenSecretRefs(obj: KubeObject): void {
  if (obj.kind !== 'ServiceAccount' || !Array.isArray(obj.secrets)) return;
  const prefix = `${metadataOf(obj).name ?? ''}-token-`;
  obj.secrets = obj.secrets.filter((s) => !(isRecord(s) && typeof s.name === 'string' && s.name.startsWith(prefix)));
  if ((obj.secrets as unknown[]).length === 0) delete obj.secrets;
}

export const serviceaccounts: KindAction = {
  groupResource: 'serviceaccounts',
  group: '',
  kind: 'ServiceAccount',
  sanitize: dropAutoTokenSecretRefs,
};
