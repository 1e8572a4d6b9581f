// Helpers for the kube integration tests: a client for the local environment's `drydock-local` context,
// and throwaway namespaces and CRDs that each test creates and deletes.
import { setTimeout as delay } from 'node:timers/promises';
import { loadKubeConfig } from '../../../src/core/kube/kubeconfig';
import { KubeRawClient } from '../../../src/core/kube/rawClient';
import { KubeApiError } from '../../../src/core/kube/kubeApiError';
import { describeError } from '../../../src/core/errors';
import { kubeconfigPath, uniqueName } from '../../support/env';

export const LOCAL_CONTEXT = 'drydock-local';

export function localClient(): KubeRawClient {
  return new KubeRawClient(loadKubeConfig([kubeconfigPath()]), LOCAL_CONTEXT);
}

export async function createNamespace(client: KubeRawClient, prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await client.request('POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'drydock.dev/test': 'kube' } },
  });
  return name;
}

export async function deleteNamespace(client: KubeRawClient, name: string): Promise<void> {
  await client.request('DELETE', `/api/v1/namespaces/${name}`).catch((e: unknown) => {
    if (!(KubeApiError.is(e) && e.statusCode === 404)) throw e;
  });
}

/** A namespaced CRD in a group of its own, with fields kept as sent (no pruning). Resolves once Established. */
export async function createCrd(
  client: KubeRawClient,
  prefix: string,
): Promise<{ group: string; plural: string; kind: string; name: string }> {
  const group = `${uniqueName(prefix)}.drydock.test`;
  const plural = 'gizmos';
  const kind = 'Gizmo';
  const name = `${plural}.${group}`;
  await client.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name, labels: { 'drydock.dev/test': 'kube' } },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, singular: 'gizmo', kind, listKind: 'GizmoList' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
  await eventually(async () => {
    const crd = await client.request<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(
      'GET',
      `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
    );
    return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
  }, `CRD ${name} established`);
  return { group, plural, kind, name };
}

export async function deleteCrd(client: KubeRawClient, name: string): Promise<void> {
  await client
    .request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)
    .catch((e: unknown) => {
      if (!(KubeApiError.is(e) && e.statusCode === 404)) throw e;
    });
}

/** Polls until `check` is true (or returns a value), failing with `what` after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | false | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false && value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last !== undefined ? `: ${describeError(last)}` : ''}`);
    await delay(200);
  }
}
