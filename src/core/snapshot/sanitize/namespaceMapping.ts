import type { KubeObject } from '../kubeObject';
import { metadataOf } from '../kubeObject';

/** Old namespace → new namespace. Namespaces not in the map keep their names. */
export type NamespaceMap = ReadonlyMap<string, string>;

export function mapNamespace(ns: string, map: NamespaceMap): string {
  return map.get(ns) ?? ns;
}

/** Moves a namespaced item into its mapped namespace; renames a Namespace object itself. */
export function remapObjectNamespace(obj: KubeObject, map: NamespaceMap): void {
  const meta = metadataOf(obj);
  if (obj.kind === 'Namespace' && obj.apiVersion === 'v1' && meta.name) {
    meta.name = mapNamespace(meta.name, map);
    if (meta.labels?.['kubernetes.io/metadata.name']) meta.labels['kubernetes.io/metadata.name'] = meta.name;
    return;
  }
  if (meta.namespace) meta.namespace = mapNamespace(meta.namespace, map);
}

/** Parses `old:new` pairs (CLI `--namespace-map a:b,c:d`). */
export function parseNamespaceMap(pairs: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs.flatMap((p) => p.split(',')).filter(Boolean)) {
    const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(pair.trim());
    if (!m) throw new Error(`Namespace mapping "${pair}" is not of the form old:new with valid namespace names.`);
    if (map.has(m[1]!)) throw new Error(`Namespace "${m[1]}" is mapped twice.`);
    map.set(m[1]!, m[3]!);
  }
  return map;
}
