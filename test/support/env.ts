import * as path from 'node:path';
import { existsSync } from 'node:fs';

/** Where the local environment's pieces are, as `npm test` passes them (or the defaults of `npm run env:up`). */
export const repoRoot = path.resolve(__dirname, '..', '..');

export function kubeconfigPath(): string {
  return process.env.DRYDOCK_KUBECONFIG ?? path.join(repoRoot, '.localenv', 'kubeconfig');
}

export function awsEndpointUrl(): string {
  return process.env.DRYDOCK_AWS_ENDPOINT ?? 'http://localhost:4566';
}

export const awsRegion = 'us-east-1';

/** The shared real-world corpus beside the clone, or undefined when this clone has none. */
export function corpusDir(): string | undefined {
  const dir = process.env.DRYDOCK_CORPUS ?? path.resolve(repoRoot, '..', 'shared', 'corpus');
  return existsSync(dir) ? dir : undefined;
}

/** A name no other test run uses, for namespaces, queues, tables and buckets. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
