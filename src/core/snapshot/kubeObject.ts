/** A Kubernetes object as raw JSON from the API server: never passed through a typed model. */
export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeMetadata;
};

export interface KubeMetadata extends Record<string, unknown> {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid?: string; controller?: boolean }>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The group part of an apiVersion ("" for "v1"). */
export function apiGroupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function metadataOf(obj: KubeObject): KubeMetadata {
  if (!isRecord(obj.metadata)) obj.metadata = {};
  return obj.metadata;
}

/** A deep copy of plain JSON. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/** "deployments.apps/shop/web" style label for reports. */
export function describeItem(groupResource: string, namespace: string | undefined, name: string): string {
  return namespace ? `${groupResource}/${namespace}/${name}` : `${groupResource}/${name}`;
}
