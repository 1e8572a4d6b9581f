import { paginateListQueues } from '@aws-sdk/client-sqs';
import { paginateListTables } from '@aws-sdk/client-dynamodb';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../aws/clients';
import { queueNameFromUrl } from './awsNames';

/** Names of every queue, table and bucket at an endpoint (candidates for reference detection). */
export interface AwsInventory {
  queues: string[];
  tables: string[];
  buckets: string[];
}

export async function listAwsInventory(clients: AwsClients, signal?: AbortSignal): Promise<AwsInventory> {
  const queues: string[] = [];
  for await (const page of paginateListQueues({ client: clients.sqs }, {})) {
    if (signal?.aborted) break;
    queues.push(...(page.QueueUrls ?? []).map(queueNameFromUrl));
  }
  const tables: string[] = [];
  for await (const page of paginateListTables({ client: clients.dynamodb }, {})) tables.push(...(page.TableNames ?? []));
  const buckets = ((await clients.s3.send(new ListBucketsCommand({}), { abortSignal: signal })).Buckets ?? []).map((b) => b.Name!).filter(Boolean);
  return { queues, tables, buckets };
}
