import * as vscode from 'vscode';
import * as path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { createSnapshot } from '../../../core/snapshot';
import { FifoCaptureIncomplete } from '../../../core/snapshot/aws/sqsSnapshot';
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
  /**
   * Asks whether a FIFO queue may be drained and re-sent in order (default: a modal question). Only the
   * extension-host tests' seam passes an answer, and only outside production mode.
   */
  askFifoDrain?: (queue: string) => Promise<boolean>;
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
  const capture = (fifoDrain: boolean) =>
    withEngineProgress(`Snapshot of ${namespace}`, (signal, progress) =>
      createSnapshot({
        target,
        kube: { client, namespaces: [namespace] },
        aws: aws && { clients: aws.clients, ...aws.selection, ...(fifoDrain ? { fifoDrain } : {}) },
        secrets,
        toolVersion: deps.version,
        signal,
        progress,
        logger: deps.logger,
      }),
    );
  let result: Awaited<ReturnType<typeof capture>>;
  try {
    result = await capture(false);
  } catch (error) {
    // The emulator cannot list a FIFO queue without receiving, so the snapshot would be incomplete (nothing was
    // written). Draining and re-sending changes the queue for a moment: only after the user's explicit yes.
    if (!aws || !FifoCaptureIncomplete.isIncomplete(error)) throw error;
    if (!(await (deps.askFifoDrain ?? askFifoDrainModal)(error.queue))) throw error;
    deps.logger.info(`Snapshot of ${namespace}: draining FIFO queues and re-sending them in order, as agreed`);
    result = await capture(true);
  }
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

const DRAIN = 'Drain and Re-send in Order';

/** The consent question, like the message browser's before it receives: what happens to the queue, and why. */
async function askFifoDrainModal(queue: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(
    `FIFO queue ${queue} can only be captured completely by draining it and sending its messages back in order.`,
    {
      modal: true,
      detail:
        'This emulator cannot list messages without receiving them, and a FIFO queue hands out no further message of a group while one is received, so the snapshot would be incomplete (nothing was written). ' +
        'Drydock can receive every message, write it to the snapshot, delete it, and send all of them back in the same order with their groups and attributes (they get new message ids; deduplication is handled). ' +
        "Stop the queue's producers and consumers first. Nothing has been changed yet.",
    },
    DRAIN,
  );
  return answer === DRAIN;
}
