import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  JsonNumber,
  JsonSyntaxError,
  parseLosslessJson,
  stringifyLosslessJson,
} from '../../../src/core/aws/losslessJson';

test('parses like JSON.parse, but numbers keep their text', () => {
  const v = parseLosslessJson(
    ' {"a": [1, -2.50, 3e-7, "s\\n\\u00e9"], "b": {"c": null, "d": true, "e": false}, "f": 18446744073709551617} ',
  );
  assert.ok(v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber));
  const a = (v as Record<string, unknown>).a as unknown[];
  assert.deepEqual(
    a.map((x) => (x instanceof JsonNumber ? x.text : x)),
    ['1', '-2.50', '3e-7', 's\né'],
  );
  assert.equal(((v as Record<string, unknown>).f as JsonNumber).text, '18446744073709551617');
  assert.equal(
    stringifyLosslessJson(v, 0),
    '{"a":[1,-2.50,3e-7,"s\\né"],"b":{"c":null,"d":true,"e":false},"f":18446744073709551617}',
  );
});

test('syntax errors say where', () => {
  for (const bad of ['{"a":1,}', '{"a" 1}', '[1 2]', '{"a":01}', 'tru', '"abc', '{"a":1}x', '{"a":1,"a":2}', '']) {
    assert.throws(
      () => parseLosslessJson(bad),
      (e: unknown) => e instanceof JsonSyntaxError && /line \d+, column \d+/.test(e.message),
      bad,
    );
  }
});

test('a key named __proto__ is a plain property, not a prototype change', () => {
  const v = parseLosslessJson('{"__proto__": {"x": 1}}') as Record<string, unknown>;
  assert.ok(Object.prototype.hasOwnProperty.call(v, '__proto__'));
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
});
