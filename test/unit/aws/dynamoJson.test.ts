import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  cellText,
  itemFromDynamoJson,
  itemFromPlain,
  itemToDynamoJson,
  itemToPlain,
  keyProblems,
  numberProblem,
  type Item,
} from '../../../src/core/aws/dynamoJson';
import { parseLosslessJson, stringifyLosslessJson } from '../../../src/core/aws/losslessJson';

const big = '123456789012345678901234567890.12345678'; // 38 significant digits: a double would round it

const sample: Item = {
  id: { S: 'order-1' },
  total: { N: big },
  tiny: { N: '-1.5E-129' },
  paid: { BOOL: true },
  note: { NULL: true },
  tags: { SS: ['a', 'b'] },
  scores: { NS: ['1', '99999999999999999999999999999999999999'] },
  blob: { B: new Uint8Array([0, 1, 2, 253, 254, 255]) },
  blobs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
  lines: { L: [{ S: 'x' }, { N: '2' }, { M: { deep: { N: '0.000000000000000000000000000000000001' } } }] },
  address: { M: { zip: { S: '10115' }, geo: { L: [{ N: '52.52' }, { N: '13.405' }] } } },
};

test('DynamoDB JSON round trip keeps every type, every digit and every byte', () => {
  const text = JSON.stringify(itemToDynamoJson(sample));
  const { item, problems } = itemFromDynamoJson(parseLosslessJson(text));
  assert.deepEqual(problems, []);
  assert.equal(item.total!.N, big);
  assert.deepEqual(item.scores!.NS, ['1', '99999999999999999999999999999999999999']);
  assert.deepEqual([...item.blob!.B!], [0, 1, 2, 253, 254, 255]);
  assert.deepEqual(
    item.blobs!.BS!.map((b) => [...b]),
    [[1], [2, 3]],
  );
  assert.deepEqual(JSON.parse(JSON.stringify(itemToDynamoJson(item))), JSON.parse(text));
});

test('plain JSON shows numbers with every digit, sets as arrays and binary as base64', () => {
  const text = stringifyLosslessJson(itemToPlain(sample), 2);
  assert.match(text, new RegExp(`"total": ${big.replace('.', '\\.')}`));
  assert.match(text, /"scores": \[\s*1,\s*99999999999999999999999999999999999999\s*\]/);
  assert.match(text, /"blob": "AAEC\/f7\/"/);
  assert.match(text, /"note": null/);
  assert.match(text, /"deep": 0\.000000000000000000000000000000000001/);
});

test('plain JSON → DynamoDB: numbers exact, arrays become lists, objects maps', () => {
  const { item, problems } = itemFromPlain(
    parseLosslessJson(`{"id":"x","n":${big},"l":[1,"a",true,null],"m":{"k":1e5}}`),
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(item, {
    id: { S: 'x' },
    n: { N: big },
    l: { L: [{ N: '1' }, { S: 'a' }, { BOOL: true }, { NULL: true }] },
    m: { M: { k: { N: '1e5' } } },
  });
});

test('DynamoDB JSON validation names the path of each problem', () => {
  const { problems } = itemFromDynamoJson(
    parseLosslessJson(
      '{"id":{"S":1},"n":{"N":"12abc"},"s":{"SS":[]},"d":{"SS":["a","a"]},"b":{"B":"!!"},"x":{"S":"a","N":"1"},"m":{"M":{"q":{"Q":"1"}}}}',
    ),
  );
  const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
  assert.match(byPath['id']!, /S must be a string/);
  assert.match(byPath['n.N']!, /not a number/);
  assert.match(byPath['s']!, /non-empty/);
  assert.match(byPath['d.SS']!, /duplicated: a/);
  assert.match(byPath['b']!, /base64/);
  assert.match(byPath['x']!, /exactly one of/);
  assert.match(byPath['m.M.q']!, /exactly one of/);
});

test('a number written without quotes in DynamoDB JSON keeps its digits', () => {
  const { item, problems } = itemFromDynamoJson(parseLosslessJson(`{"n":{"N":${big}}}`));
  assert.deepEqual(problems, []);
  assert.equal(item.n!.N, big);
});

test('DynamoDB number limits', () => {
  assert.equal(numberProblem('0'), undefined);
  assert.equal(numberProblem('-0.0001'), undefined);
  assert.equal(numberProblem('9.9999999999999999999999999999999999999E+125'), undefined);
  assert.equal(numberProblem('1E-130'), undefined);
  assert.match(numberProblem('1E+126')!, /too large/);
  assert.match(numberProblem('1E-131')!, /too small/);
  assert.match(numberProblem('1234567890123456789012345678901234567890')!, /38 significant/);
  assert.equal(numberProblem('12345678901234567890123456789012345678000'), undefined); // trailing zeros are not significant
  assert.match(numberProblem('abc')!, /not a number/);
  assert.match(numberProblem('')!, /not a number/);
});

test('key validation: missing, wrong type, empty', () => {
  const key = [
    { name: 'pk', type: 'S' as const },
    { name: 'sk', type: 'N' as const },
  ];
  assert.deepEqual(keyProblems({ pk: { S: 'a' }, sk: { N: '1' } }, key), []);
  const problems = keyProblems({ pk: { S: '' }, sk: { S: '1' } }, key).map((p) => p.message);
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /must not be empty/);
  assert.match(problems[1]!, /must be of type N, not S/);
  assert.match(keyProblems({}, key)[0]!.message, /"pk" is missing/);
});

test('grid cells are short and exact', () => {
  assert.equal(cellText({ N: big }), big);
  assert.equal(cellText({ SS: ['a', 'b'] }), '["a","b"]');
  assert.equal(cellText({ B: new Uint8Array(3) }), '<3 bytes>');
  assert.equal(cellText({ S: 'x'.repeat(500) }, 10).length, 10);
});
