import type { KubeRawClient } from '../../kube/rawClient';
import type { AwsClients } from '../../aws/clients';
import type { KubeObject } from '../kubeObject';
import { isRecord } from '../kubeObject';
import { findReferencedNames, referenceStrings } from '../references';
import { listAwsInventory, type AwsInventory } from '../../aws/inventory';

/** Collects the queues, tables and buckets (of an inventory) that objects reference. */
export class ReferenceCollector {
  private readonly found = { queues: new Set<string>(), tables: new Set<string>(), buckets: new Set<string>() };
  constructor(private readonly inventory: AwsInventory) {}

  add(obj: KubeObject): void {
    const texts = referenceStrings(obj);
    if (!texts.length) return;
    for (const n of findReferencedNames(texts, this.inventory.queues)) this.found.queues.add(n);
    for (const n of findReferencedNames(texts, this.inventory.tables)) this.found.tables.add(n);
    for (const n of findReferencedNames(texts, this.inventory.buckets)) this.found.buckets.add(n);
  }

  result(): AwsInventory {
    return {
      queues: [...this.found.queues].sort(),
      tables: [...this.found.tables].sort(),
      buckets: [...this.found.buckets].sort(),
    };
  }
}

const REFERENCE_SOURCES = [
  '/api/v1/namespaces/{ns}/configmaps',
  '/api/v1/namespaces/{ns}/secrets',
  '/api/v1/namespaces/{ns}/pods',
  '/apis/apps/v1/namespaces/{ns}/deployments',
  '/apis/apps/v1/namespaces/{ns}/statefulsets',
  '/apis/apps/v1/namespaces/{ns}/daemonsets',
  '/apis/batch/v1/namespaces/{ns}/jobs',
  '/apis/batch/v1/namespaces/{ns}/cronjobs',
];
const KINDS: Record<string, string> = { configmaps: 'ConfigMap', secrets: 'Secret' };

/**
 * The AWS resources at an endpoint that a namespace references (queue URLs/ARNs/names, table and bucket
 * names in ConfigMaps, Secrets and env values): what "Snapshot namespace…" pre-selects.
 */
export async function detectReferencedAwsResources(
  client: KubeRawClient,
  namespaces: readonly string[],
  aws: AwsClients,
  signal?: AbortSignal,
): Promise<AwsInventory> {
  const collector = new ReferenceCollector(await listAwsInventory(aws, signal));
  for (const ns of namespaces) {
    for (const template of REFERENCE_SOURCES) {
      const path = template.replace('{ns}', encodeURIComponent(ns));
      const resource = path.slice(path.lastIndexOf('/') + 1);
      for await (const raw of client.listAll(path, { signal })) {
        if (!isRecord(raw)) continue;
        collector.add({ apiVersion: 'v1', kind: KINDS[resource] ?? 'Workload', ...raw });
      }
    }
  }
  return collector.result();
}
