// @kubernetes/client-node v2 is ESM-only while this package compiles as CommonJS. Node ≥ 20.19 (tsx) and
// esbuild's bundle both load it; TypeScript's CommonJS checker objects to the static import (TS1479), so
// that one diagnostic is silenced here. A static import (not require) lets esbuild tree-shake the library:
// the bundle keeps ~2.5 MB of it instead of ~18 MB. Every other file reaches the library through this one.
// @ts-expect-error TS1479: an ES module imported from CommonJS — fine for esbuild and Node ≥ 20.19.
import { KubeConfig } from '@kubernetes/client-node';
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export { KubeConfig };
export type KubeConfig = ClientNode.KubeConfig;
export type Cluster = ClientNode.Cluster;
export type Context = ClientNode.Context;
export type User = ClientNode.User;
