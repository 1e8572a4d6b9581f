// The one file that imports @kubernetes/client-node (v2, ESM-only; esbuild bundles it into the CommonJS
// output, Node ≥ 20.19 loads it under tsx). Import named members only, so esbuild can tree-shake the
// generated API clients out of the bundle. Drydock uses the library for kubeconfig loading and
// authentication only; requests go through KubeRawClient so objects stay raw JSON.
import { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, Context, User } from '@kubernetes/client-node';

export { KubeConfig };
export type { Cluster, Context, User };
