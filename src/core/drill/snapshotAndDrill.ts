import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { createAwsClients, endpointUrls, type AwsEndpoint } from '../aws/clients';
import { KubeRawClient } from '../kube/rawClient';
import { DrydockError } from '../errors';
import { createSnapshot } from '../snapshot/createSnapshot';
import { assertAwsWritable, assertKubeWritable } from '../snapshot/writeGuard';
import { throwIfAborted } from '../snapshot/progress';
import type { DrillFile } from './drillFile';
import type { DrillReport } from './drillReport';
import { drillsDirOf, runDrill, type DrillHooks, type RunDrillOptions } from './runDrill';
import { newRunId } from './scratchNames';
import { removeLedger, writeLedger } from './ledger';
import { DrillRuns } from './drillRuns';

export interface SnapshotAndDrillOptions extends Omit<
  RunDrillOptions,
  'recoveryPoint' | 'keySource' | 'workDir' | 'checks'
> {
  drillFile: DrillFile;
  toolVersion: string;
}

/**
 * `drydock drill --config`: snapshots the drill file's live local namespace (and the AWS resources it names or
 * references) into the drill's own work directory, then drills that recovery point. Its secrets are encrypted
 * with a one-time passphrase that never leaves this process; the work directory goes with the drill's cleanup.
 */
export async function snapshotAndDrill(options: SnapshotAndDrillOptions, hooks: DrillHooks = {}): Promise<DrillReport> {
  const file = options.drillFile;
  if (!file.namespace)
    throw new DrydockError('invalid-input', 'The drill file names no namespace to snapshot (namespace: …).');
  // A drill writes: a target that is not local is refused before anything, the snapshot's reads included, reaches it.
  const target = new KubeRawClient(options.kube.kubeConfig, options.kube.context ?? file.context);
  assertKubeWritable(target.contextName, target.server, options.allow);
  if (options.aws?.endpoint)
    for (const url of endpointUrls(options.aws.endpoint)) assertAwsWritable(url, options.allow);
  const runId = options.runId ?? newRunId();
  const workDir = join(drillsDirOf(options.workspaceDir), runId, 'work');
  await mkdir(workDir, { recursive: true });
  const recoveryPoint = join(workDir, file.namespace);
  const passphrase = randomBytes(24).toString('base64url');
  // The work directory is in the ledger before anything is written to it: a kill while snapshotting leaves
  // nothing the next drill does not remove.
  await writeLedger(drillsDirOf(options.workspaceDir), {
    runId,
    createdAt: new Date().toISOString(),
    pid: process.pid,
    host: hostname(),
    workDir,
  });
  const runs = options.runs ?? new DrillRuns();
  runs.add(runId);
  const context = options.kube.context ?? file.context;
  const client = new KubeRawClient(options.kube.kubeConfig, context);
  const endpoint: AwsEndpoint | undefined = options.aws?.endpoint;
  const aws = endpoint ? createAwsClients(endpoint) : undefined;
  hooks.onProgress?.({ phase: 'prepare', message: `Snapshotting namespace ${file.namespace}` });
  try {
    throwIfAborted(hooks.signal);
    await createSnapshot({
      target: recoveryPoint,
      kube: { client, namespaces: [file.namespace] },
      aws: aws
        ? {
            clients: aws,
            queues: file.aws?.queues,
            tables: file.aws?.tables,
            buckets: file.aws?.buckets,
            autoDetect: file.aws?.autoDetect ?? true,
          }
        : undefined,
      secrets: { passphrase },
      toolVersion: options.toolVersion,
      signal: hooks.signal,
      logger: options.logger,
      progress: (e) => hooks.onProgress?.({ phase: 'prepare', message: e.message, done: e.done, total: e.total }),
    });
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    await removeLedger(drillsDirOf(options.workspaceDir), runId);
    throw error;
  } finally {
    aws?.destroy();
    runs.delete(runId);
  }
  return runDrill(
    {
      ...options,
      kube: { ...options.kube, context },
      runId,
      runs,
      recoveryPoint,
      keySource: { passphrase },
      workDir,
      checks: file.checks,
      readyTimeoutMs:
        options.readyTimeoutMs ??
        (file.readyTimeoutSeconds !== undefined ? file.readyTimeoutSeconds * 1000 : undefined),
      keepOnFailure: options.keepOnFailure ?? file.keepOnFailure,
      // The recovery point is this drill's own capture of the live local namespace, not input from elsewhere:
      // what it holds beyond the namespace (RoleBindings to ClusterRoles) is already on this cluster.
      allowBeyondNamespaces: options.allowBeyondNamespaces ?? true,
    },
    hooks,
  );
}
