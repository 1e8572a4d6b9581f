import { toSdkMessageAttributes } from '../../aws/sqs';
import type { SqsMessage } from '../../aws/sqsAdmin';
import type { SqsMessageRecord } from './sqsSnapshot';

/** A received message as a snapshot records it (binary attributes as base64). */
export function toSqsMessageRecord(m: SqsMessage): SqsMessageRecord {
  const messageAttributes: SqsMessageRecord['messageAttributes'] = {};
  for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[k] = {
      DataType: v.DataType ?? 'String',
      ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue).toString('base64') } : {}),
    };
  }
  return {
    messageId: m.MessageId!,
    body: m.Body ?? '',
    md5OfBody: m.MD5OfBody,
    attributes: { ...(m.Attributes ?? {}) },
    messageAttributes,
  };
}

/** A captured message's attributes as SendMessage takes them (the one converter in core/aws/sqs). */
export function toSendAttributes(attrs: SqsMessageRecord['messageAttributes']) {
  return toSdkMessageAttributes(
    Object.fromEntries(
      Object.entries(attrs).map(([k, v]) => [
        k,
        { dataType: v.DataType, stringValue: v.StringValue, binaryBase64: v.BinaryValue },
      ]),
    ),
  );
}
