import * as vscode from 'vscode';
import * as path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { createSnapshot } from '../../../core/snapshot';
import type { AwsClients } from '../../../core/aws/clients';
import type { KubeRawClient } from '../../../core/kube/rawClient';
import type { Logger } from '../../../core/log';
import { withEngineProgress } from '../engineProgress';
import { snapshotKeySource } from '../snapshotKey';

export interface SnapshotWriteDeps {
  secrets: vscode.SecretStorage;
  folder: string;
  logger: Logger;
  version: string;
  onCreated: () => void;
}

/** Which AWS resources go in: named ones, or every one the namespace references (found during the capture). */
export type AwsSelection = { queues: string[]; tables: string[]; buckets: string[] } | { autoDetect: true };

/**
 * Writes `<namespace>-<time>.tar.gz` into the snapshot folder under a cancellable progress notification and
 * reports what it holds. Throws on failure (the caller reports it).
 */
export async function writeNamespaceSnapshot(
  client: KubeRawClient,
  namespace: string,
  aws: { clients: AwsClients; selection: AwsSelection } | undefined,
  deps: SnapshotWriteDeps,
): Promise<string> {
  await mkdir(deps.folder, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = path.join(deps.folder, `${namespace}-${stamp}.tar.gz`);
  const secrets = await snapshotKeySource(deps.secrets, true);
  const result = await withEngineProgress(`Snapshot of ${namespace}`, (signal, progress) =>
    createSnapshot({
      target,
      kube: { client, namespaces: [namespace] },
      aws: aws && { clients: aws.clients, ...aws.selection },
      secrets,
      toolVersion: deps.version,
      signal,
      progress,
      logger: deps.logger,
    }),
  );
  deps.onCreated();
  const c = result.manifest.counts;
  deps.logger.info(
    `Snapshot ${target}: ${c.items} objects (${c.skipped} skipped), ${c.sqsMessages} messages, ${c.dynamodbItems} items, ${c.s3Objects} objects`,
  );
  void vscode.window.showInformationMessage(
    `Snapshot of ${namespace}: ${c.items} objects, ${c.sqsMessages} SQS messages, ${c.dynamodbItems} DynamoDB items, ${c.s3Objects} S3 objects.`,
  );
  return target;
}
