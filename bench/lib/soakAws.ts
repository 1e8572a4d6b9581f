import type { AwsClients } from '../../src/core/aws/clients';
import { deleteTable } from '../../src/core/aws/dynamodb';
import { listAwsInventory } from '../../src/core/aws/inventory';
import { deleteBucketAndContents } from '../../src/core/aws/s3';
import { deleteQueueNamed } from '../../src/core/aws/sqs';

/** Deletes every queue, table and bucket whose name starts with `prefix` (a bench's restored copies). */
export async function deleteAwsCopies(aws: AwsClients, prefix: string): Promise<void> {
  if (!prefix.startsWith('bench-'))
    throw new Error(`refusing to delete AWS resources with prefix ${prefix}: not a bench prefix`);
  const inv = await listAwsInventory(aws, undefined, { queueNamePrefix: prefix });
  await Promise.all([
    ...inv.queues.filter((q) => q.startsWith(prefix)).map((q) => deleteQueueNamed(aws.sqs, q)),
    ...inv.tables.filter((t) => t.startsWith(prefix)).map((t) => deleteTable(aws.dynamodb, t)),
    ...inv.buckets.filter((b) => b.startsWith(prefix)).map((b) => deleteBucketAndContents(aws.s3, b)),
  ]);
}
