import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { jsonItemsUnder } from '../../../src/core/aws/jsonItemStream';

const KEYS = new Set(['Message', 'Messages']);

/** Feeds `text` in chunks of `size` bytes (splitting multi-byte characters too). */
async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield await Promise.resolve(bytes.subarray(i, i + size));
}

async function collect(text: string, size: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of jsonItemsUnder(chunked(text, size), KEYS)) out.push(item);
  return out;
}

const messages = [
  {
    MessageId: 'a',
    Body: 'has "Message":[{"x":1}] and } ] { [ inside, and a \\"quote\\" and ünïcödé ✓',
    Attribute: [{ Name: 'IsVisible', Value: 'true' }],
  },
  {
    MessageId: 'b',
    Body: '{"nested":{"Messages":[1,2]}}',
    MessageAttribute: { Name: 'k', Value: { StringValue: 'v', DataType: 'String' } },
  },
  { MessageId: 'c', Body: '' },
];

test('items of the list under "Message" in the query-protocol shape, at every chunk size', async () => {
  const doc = JSON.stringify({
    ReceiveMessageResponse: { ReceiveMessageResult: { Message: messages }, ResponseMetadata: { RequestId: 'r' } },
  });
  for (const size of [1, 2, 3, 7, 64, 100_000])
    assert.deepEqual(await collect(doc, size), messages, `chunk size ${size}`);
});

test('the JSON-protocol shape ("Messages") and a key that comes after other strings', async () => {
  const doc = JSON.stringify({ Other: 'Message', Nested: { Message: 'not a list' }, Messages: messages });
  // "Message": "not a list" is a string, not a list or object: skipped; the list under Messages is read.
  assert.deepEqual(await collect(doc, 5), messages);
});

test('a single message is an object, not a list; an empty result is null', async () => {
  const one = JSON.stringify({ ReceiveMessageResponse: { ReceiveMessageResult: { Message: messages[0] } } });
  assert.deepEqual(await collect(one, 4), [messages[0]]);
  const none = JSON.stringify({ ReceiveMessageResponse: { ReceiveMessageResult: null, ResponseMetadata: {} } });
  assert.deepEqual(await collect(none, 4), []);
});

test('a document cut short is an error, not a shorter list', async () => {
  const doc = JSON.stringify({ Messages: messages });
  await assert.rejects(collect(doc.slice(0, doc.length - 20), 8), SyntaxError);
});

test('memory: items are handed out one at a time, not after the whole document', async () => {
  let produced = 0;
  async function* endless(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('{"Messages":[');
    for (let i = 0; ; i++) {
      produced++;
      yield await Promise.resolve(Buffer.from(`${i ? ',' : ''}{"MessageId":"m${i}","Body":"${'x'.repeat(100)}"}`));
    }
  }
  let seen = 0;
  for await (const item of jsonItemsUnder(endless(), KEYS)) {
    assert.equal((item as { MessageId: string }).MessageId, `m${seen}`);
    if (++seen === 1000) break;
  }
  assert.ok(produced <= 1001, `read ${produced} chunks for 1000 items`);
});
