import type { AwsClients } from './clients';
import { listTableNames } from './dynamodb';
import { listBuckets } from './s3';
import { listQueueUrls, queueNameFromUrl } from './sqs';

/** Names of every queue, table and bucket at an endpoint, each list sorted. */
export interface AwsInventory {
  queues: string[];
  tables: string[];
  buckets: string[];
}

/**
 * The one listing of an endpoint's resources (reference detection when snapshotting, the drill's search
 * for leftovers). `queueNamePrefix` narrows the queue listing on the server side.
 */
export async function listAwsInventory(
  clients: AwsClients,
  signal?: AbortSignal,
  options: { queueNamePrefix?: string } = {},
): Promise<AwsInventory> {
  const [queueUrls, tables, buckets] = await Promise.all([
    listQueueUrls(clients.sqs, signal, options.queueNamePrefix),
    listTableNames(clients.dynamodb, signal),
    listBuckets(clients.s3, signal),
  ]);
  return { queues: queueUrls.map(queueNameFromUrl), tables, buckets: buckets.map((b) => b.name) };
}
