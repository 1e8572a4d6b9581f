import { groupResource, parseItemPath } from '../layout';
import type { CapturedResourceType } from '../manifest';
import type { SnapshotReader } from '../archive/snapshotReader';
import { restoreOrder } from '../restoreOrder';
import { mapNamespace, type NamespaceMap } from '../sanitize/namespaceMapping';

export interface PlannedItem {
  path: string;
  groupResource: string;
  type: CapturedResourceType & { groupVersion: string };
  sourceNamespace?: string;
  /** Its name in the recovery point (planKubeRestore always sets it; absent means the same as `name`). */
  sourceName?: string;
  /** Where it goes (the mapped namespace); undefined for cluster-scoped items. */
  targetNamespace?: string;
  /** The name it gets (a Namespace object takes its mapped name). */
  name: string;
}

export interface PlanOptions {
  namespaceMap: NamespaceMap;
  /** Restore only these source namespaces (default: all in the snapshot). */
  namespaces?: readonly string[];
}

/** Every Kubernetes item of the snapshot in restore order, with its target; reads no item bodies. */
export function planKubeRestore(reader: SnapshotReader, opts: PlanOptions): PlannedItem[] {
  const types = new Map<string, PlannedItem['type']>();
  for (const t of reader.manifest.resources)
    types.set(groupResource(t.resource, t.group), {
      ...t,
      groupVersion: t.group ? `${t.group}/${t.version}` : t.version,
    });
  const byType = new Map<string, PlannedItem[]>();
  for (const path of reader.entryPaths()) {
    const parsed = parseItemPath(path);
    if (!parsed) continue;
    const type = types.get(parsed.groupResource);
    if (!type) continue;
    const isNamespace = parsed.groupResource === 'namespaces';
    const sourceNs = isNamespace ? parsed.name : parsed.namespace;
    if (opts.namespaces && sourceNs !== undefined && !opts.namespaces.includes(sourceNs)) continue;
    const item: PlannedItem = {
      path,
      groupResource: parsed.groupResource,
      type,
      sourceNamespace: parsed.namespace,
      sourceName: parsed.name,
      targetNamespace: parsed.namespace === undefined ? undefined : mapNamespace(parsed.namespace, opts.namespaceMap),
      name: isNamespace ? mapNamespace(parsed.name, opts.namespaceMap) : parsed.name,
    };
    const list = byType.get(parsed.groupResource) ?? [];
    list.push(item);
    byType.set(parsed.groupResource, list);
  }
  return restoreOrder(byType.keys()).flatMap((gr) =>
    byType.get(gr)!.sort((a, b) => `${a.targetNamespace}/${a.name}`.localeCompare(`${b.targetNamespace}/${b.name}`)),
  );
}

/** The item's id on the target: `group-resource/namespace/name` (target names). */
export function itemId(item: PlannedItem): string {
  return item.targetNamespace
    ? `${item.groupResource}/${item.targetNamespace}/${item.name}`
    : `${item.groupResource}/${item.name}`;
}

/** The same id with the recovery point's names (for reports that speak of what was captured). */
export function sourceItemId(item: PlannedItem): string {
  const name = item.sourceName ?? item.name;
  return item.sourceNamespace
    ? `${item.groupResource}/${item.sourceNamespace}/${name}`
    : `${item.groupResource}/${name}`;
}
