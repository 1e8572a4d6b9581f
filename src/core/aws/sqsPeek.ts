import { DrydockError } from '../errors';
import type { MessageAttribute, QueueMessage } from './sqs';

/**
 * LocalStack's side-effect-free message listing: `GET /_aws/sqs/messages?QueueUrl=…&ShowInvisible=true&ShowDelayed=true`.
 * Receive counts and visibility are untouched. Returns every message of the queue (LocalStack has no paging here).
 *
 * moto has no equivalent: its `/moto-api/data.json` lists Message objects, but without the queue they belong to
 * and including deleted ones, so it cannot tell what is in a queue. Use `receiveBrowse` there, after a warning.
 */
export async function peekLocalStackMessages(
  endpointUrl: string,
  queueUrl: string,
  signal?: AbortSignal,
): Promise<QueueMessage[]> {
  const url = new URL(`${endpointUrl.replace(/\/+$/, '')}/_aws/sqs/messages`);
  url.searchParams.set('QueueUrl', queueUrl);
  url.searchParams.set('ShowInvisible', 'true');
  url.searchParams.set('ShowDelayed', 'true');
  const res = await fetch(url, { headers: { accept: 'application/json' }, signal });
  const text = await res.text();
  if (!res.ok) {
    throw new DrydockError(
      res.status === 404 || res.status === 400 ? 'not-found' : 'failed',
      `LocalStack could not list the messages of ${queueUrl} (HTTP ${res.status}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DrydockError('failed', 'LocalStack answered the message listing with something that is not JSON.', {
      cause: error,
    });
  }
  return parsePeekResponse(json);
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const s = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/**
 * Reads the peek response in both shapes LocalStack produces: the JSON protocol
 * (`{Messages:[{Attributes:{…}, MessageAttributes:{…}}]}`) and the query protocol rendered as JSON
 * (`{ReceiveMessageResponse:{ReceiveMessageResult:{Message:[{Attribute:[{Name,Value}], MessageAttribute:[…]}]}}}`).
 */
export function parsePeekResponse(json: unknown): QueueMessage[] {
  if (!isObj(json)) throw new DrydockError('failed', 'Unexpected message listing from LocalStack.');
  let raw: unknown[];
  if ('Messages' in json) raw = asList(json.Messages);
  else {
    const response = isObj(json.ReceiveMessageResponse) ? json.ReceiveMessageResponse : json;
    const result = isObj(response.ReceiveMessageResult) ? response.ReceiveMessageResult : undefined;
    raw = result ? asList(result.Message ?? result.Messages) : [];
  }
  return raw.filter(isObj).map(toMessage);
}

export function toMessage(m: Json): QueueMessage {
  const attributes: Record<string, string> = {};
  if (isObj(m.Attributes))
    for (const [k, v] of Object.entries(m.Attributes)) if (s(v) !== undefined) attributes[k] = s(v)!;
  for (const a of asList(m.Attribute))
    if (isObj(a) && s(a.Name) && s(a.Value) !== undefined) attributes[s(a.Name)!] = s(a.Value)!;

  const messageAttributes: Record<string, MessageAttribute> = {};
  const addAttr = (name: string, v: unknown) => {
    if (!isObj(v)) return;
    messageAttributes[name] = {
      dataType: s(v.DataType) ?? 'String',
      stringValue: s(v.StringValue),
      binaryBase64: s(v.BinaryValue),
    };
  };
  if (isObj(m.MessageAttributes)) for (const [k, v] of Object.entries(m.MessageAttributes)) addAttr(k, v);
  for (const a of asList(m.MessageAttribute)) if (isObj(a) && s(a.Name)) addAttr(s(a.Name)!, a.Value);

  const visible = attributes.IsVisible;
  const delayed = attributes.IsDelayed;
  delete attributes.IsVisible;
  delete attributes.IsDelayed;
  return {
    messageId: s(m.MessageId) ?? '',
    body: s(m.Body) ?? '',
    md5OfBody: s(m.MD5OfBody),
    // LocalStack returns a dummy handle ("SQS/BACKDOOR/ACCESS") that cannot delete anything.
    receiptHandle: undefined,
    attributes,
    messageAttributes,
    visible: visible === undefined ? undefined : visible === 'true',
    delayed: delayed === undefined ? undefined : delayed === 'true',
  };
}
