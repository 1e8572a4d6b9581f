// @kubernetes/client-node v2 is ESM-only while this package compiles as CommonJS. Node ≥ 20.19 and
// esbuild's bundle both load it through require(); TypeScript needs the resolution mode spelt out.
// Every other file reaches the library through this one.
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const clientNode: typeof ClientNode = require('@kubernetes/client-node');

export const { KubeConfig } = clientNode;
export type KubeConfig = ClientNode.KubeConfig;
export type Cluster = ClientNode.Cluster;
export type Context = ClientNode.Context;
export type User = ClientNode.User;
