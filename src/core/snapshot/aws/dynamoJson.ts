import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB JSON as the AWS CLI writes it: `{"N":"1.50"}` keeps numbers as strings at full precision,
 * binary as base64, sets as arrays. The low-level SDK gives AttributeValue objects with Uint8Array
 * for binaries; these two functions convert losslessly in both directions.
 */
export type DynamoJsonValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, DynamoJsonValue> }
  | { L: DynamoJsonValue[] }
  | { NULL: true }
  | { BOOL: boolean };

export type DynamoJsonItem = Record<string, DynamoJsonValue>;

const b64 = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

export function toDynamoJson(v: AttributeValue): DynamoJsonValue {
  if (v.S !== undefined) return { S: v.S };
  if (v.N !== undefined) return { N: v.N };
  if (v.B !== undefined) return { B: b64(v.B) };
  if (v.SS !== undefined) return { SS: [...v.SS] };
  if (v.NS !== undefined) return { NS: [...v.NS] };
  if (v.BS !== undefined) return { BS: v.BS.map(b64) };
  if (v.M !== undefined) return { M: itemToDynamoJson(v.M) };
  if (v.L !== undefined) return { L: v.L.map(toDynamoJson) };
  if (v.NULL !== undefined) return { NULL: true };
  if (v.BOOL !== undefined) return { BOOL: v.BOOL };
  throw new Error(`Unknown DynamoDB attribute value type: ${Object.keys(v).join(',')}`);
}

export function fromDynamoJson(v: DynamoJsonValue): AttributeValue {
  if ('S' in v) return { S: v.S };
  if ('N' in v) return { N: v.N };
  if ('B' in v) return { B: unb64(v.B) };
  if ('SS' in v) return { SS: [...v.SS] };
  if ('NS' in v) return { NS: [...v.NS] };
  if ('BS' in v) return { BS: v.BS.map(unb64) };
  if ('M' in v) return { M: itemFromDynamoJson(v.M) };
  if ('L' in v) return { L: v.L.map(fromDynamoJson) };
  if ('NULL' in v) return { NULL: true };
  if ('BOOL' in v) return { BOOL: v.BOOL };
  throw new Error(`Unknown DynamoDB JSON value: ${JSON.stringify(v).slice(0, 80)}`);
}

export function itemToDynamoJson(item: Record<string, AttributeValue>): DynamoJsonItem {
  const out: DynamoJsonItem = {};
  for (const [k, v] of Object.entries(item)) out[k] = toDynamoJson(v);
  return out;
}

export function itemFromDynamoJson(item: DynamoJsonItem): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(item)) out[k] = fromDynamoJson(v);
  return out;
}

/** A stable string for an item's key attributes (for diffs): sorted attribute names. */
export function keyString(item: DynamoJsonItem, keyNames: readonly string[]): string {
  return JSON.stringify(keyNames.map((k) => [k, item[k]]));
}
