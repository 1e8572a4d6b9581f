import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  attributeType,
  canonicalDynamoItem,
  itemToDynamoJson,
  storedToItem,
  toDynamoJson,
  type DynamoJsonItem,
} from '../../../src/core/aws/dynamoJson';
import { canonicalJson, prettyCanonicalJson } from '../../../src/core/canonicalJson';

test('a stored item comes back as the same SDK item, binary bytes included', () => {
  const stored: DynamoJsonItem = {
    id: { S: 'a' },
    b: { B: 'AAEC' },
    m: { M: { l: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }] } } },
    bs: { BS: ['AQ=='] },
  };
  const item = storedToItem(stored);
  assert.deepEqual([...item.b!.B!], [0, 1, 2]);
  assert.deepEqual(item.m!.M!.l!.L, [{ N: '1' }, { NULL: true }, { BOOL: false }]);
  assert.deepEqual(itemToDynamoJson(item), stored);
});

test('a value of no known type throws with where it is, in both directions', () => {
  assert.throws(
    () => storedToItem({ m: { M: { x: { Q: '1' } } } } as unknown as DynamoJsonItem),
    /Unknown DynamoDB JSON value at m\.M\.x/,
  );
  const unknownValue = { $unknown: ['X', 1] } as unknown as AttributeValue;
  assert.throws(() => toDynamoJson(unknownValue), /Unknown DynamoDB attribute value type: \$unknown/);
  assert.throws(() => attributeType(unknownValue), /Unknown DynamoDB attribute value type/);
});

test('canonical JSON sorts keys at every depth, so nested key order never shows as a change', () => {
  assert.equal(canonicalJson({ b: { d: 1, c: [{ f: 1, e: 2 }] }, a: 0 }), '{"a":0,"b":{"c":[{"e":2,"f":1}],"d":1}}');
  assert.equal(canonicalJson({ m: { y: 1, x: 2 } }), canonicalJson({ m: { x: 2, y: 1 } }));
  assert.equal(prettyCanonicalJson({ b: 1, a: 2 }), '{\n  "a": 2,\n  "b": 1\n}\n');
});

test('canonical DynamoDB items: equal whatever the order of nested map keys and set members', () => {
  const a: DynamoJsonItem = { id: { S: '1' }, m: { M: { y: { N: '1' }, x: { SS: ['b', 'a'] } } } };
  const b: DynamoJsonItem = { m: { M: { x: { SS: ['a', 'b'] }, y: { N: '1' } } }, id: { S: '1' } };
  assert.equal(canonicalDynamoItem(a), canonicalDynamoItem(b));
  assert.notEqual(canonicalDynamoItem(a), canonicalDynamoItem({ ...b, id: { S: '2' } }));
});
