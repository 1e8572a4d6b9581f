import { serviceUrl } from '../../../core/aws/clients';
import type { QueueMessage } from '../../../core/aws/sqs';
import { peekLocalStackMessages } from '../../../core/aws/sqsPeek';
import type { QueueNode } from './nodes';
import { MoreQueueMessagesNode, QueueMessageNode, ReceiveConsentNode } from './queueMessageNodes';

/** Newest first: SentTimestamp, then (FIFO) SequenceNumber, both descending. */
function newestFirst(a: QueueMessage, b: QueueMessage): number {
  const t = Number(b.attributes.SentTimestamp ?? 0) - Number(a.attributes.SentTimestamp ?? 0);
  if (t !== 0) return t;
  const x = BigInt(a.attributes.SequenceNumber ?? '0');
  const y = BigInt(b.attributes.SequenceNumber ?? '0');
  return x > y ? -1 : x < y ? 1 : 0;
}

/**
 * A queue node's children: its messages where listing them has no side effect (LocalStack's peek; invisible and
 * delayed ones included), newest first, `shown` of them and a "more…" row; elsewhere one row that asks first.
 */
export async function queueMessageChildren(
  node: QueueNode,
  shown: number,
): Promise<(QueueMessageNode | MoreQueueMessagesNode | ReceiveConsentNode)[]> {
  const emulator = await node.session.emulator.catch(() => undefined);
  if (emulator?.kind !== 'localstack') return [new ReceiveConsentNode(node)];
  const all = await peekLocalStackMessages(serviceUrl(node.session.endpoint, 'sqs'), node.queue.url);
  // The peek lists a standard queue oldest first; reversed before a stable sort, messages sent in the same
  // millisecond (one batch) stay newest first too.
  all.reverse().sort(newestFirst);
  const children: (QueueMessageNode | MoreQueueMessagesNode)[] = all
    .slice(0, shown)
    .map((m) => new QueueMessageNode(node.session, node.queue, m));
  if (all.length > shown) children.push(new MoreQueueMessagesNode(node, shown, all.length));
  return children;
}
