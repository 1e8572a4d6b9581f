import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  GetItemCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  describeTable,
  iterateItems,
  listTables,
  queryPage,
  scanAllParallel,
  scanPage,
} from '../../../src/core/aws/dynamodb';
import { parseLosslessJson } from '../../../src/core/aws/losslessJson';
import { itemFromDynamoJson, type Item } from '../../../src/core/aws/dynamoJson';
import { DynamoBrowserController } from '../../../src/vscode/aws/browsers/dynamoBrowserController';
import type { DynamoHostMessage } from '../../../src/protocol/dynamoBrowser';
import { uniqueName } from '../../support/env';
import { postbox, recordingLogger, scriptedUi, testClients } from './helpers';

const clients = testClients();
const table = uniqueName('dd-items');
const big = '98765432109876543210987654321.123456789';
let dir = '';

function item(i: number): Item {
  return {
    pk: { S: `p${i % 5}` },
    sk: { N: String(i) },
    kind: { S: i % 2 ? 'odd' : 'even' },
    n: { N: i === 7 ? big : String(i * 10) },
    tags: { SS: ['a', `t${i}`] },
    bin: { B: new Uint8Array([i, 255 - i]) },
  };
}

describe('DynamoDB against the real emulator', () => {
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drydock-ddb-'));
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'kind', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'by-kind',
            KeySchema: [
              { AttributeName: 'kind', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    await waitUntilTableExists({ client: clients.dynamodb, maxWaitTime: 30 }, { TableName: table });
    for (let i = 0; i < 120; i += 25) {
      const batch = Array.from({ length: Math.min(25, 120 - i) }, (_, j) => ({ PutRequest: { Item: item(i + j) } }));
      await clients.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: batch } }));
    }
  });

  after(async () => {
    await clients.dynamodb.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    clients.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists and describes tables: key schema, index, billing mode, count', async () => {
    const t = (await listTables(clients.dynamodb)).find((x) => x.name === table)!;
    assert.deepEqual(t.key, [
      { name: 'pk', type: 'S', role: 'HASH' },
      { name: 'sk', type: 'N', role: 'RANGE' },
    ]);
    assert.deepEqual(
      t.indexes.map((i) => [i.kind, i.name, i.key.map((k) => k.name)]),
      [['GSI', 'by-kind', ['kind', 'sk']]],
    );
    assert.equal(t.billingMode, 'PAY_PER_REQUEST');
    assert.equal(t.itemCount, 120);
  });

  it('scans in pages that together hold every item exactly once, with exact numbers', async () => {
    const seen = new Set<string>();
    let pages = 0;
    for await (const page of iterateItems(clients.dynamodb, table, { pageSize: 17 })) {
      pages++;
      for (const it of page) seen.add(`${it.pk!.S}/${it.sk!.N}`);
    }
    assert.equal(seen.size, 120);
    assert.ok(pages >= 8);
    const first = await scanPage(clients.dynamodb, { table, limit: 10 });
    assert.equal(first.items.length, 10);
    assert.ok(first.lastEvaluatedKey);
    const seven = await clients.dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'p2' }, sk: { N: '7' } } }),
    );
    assert.equal(seven.Item!.n!.N, big);
  });

  it('a parallel scan in segments reads every item exactly once', async () => {
    const keys: string[] = [];
    let pages = 0;
    await scanAllParallel(
      clients.dynamodb,
      table,
      4,
      (page) => {
        pages++;
        for (const it of page) keys.push(`${it.pk!.S}/${it.sk!.N}`);
      },
      { consistent: true },
    );
    assert.equal(keys.length, 120, 'each segment holds only its own part of the table');
    assert.equal(new Set(keys).size, 120);
    assert.ok(pages >= 4, `one page at least per segment, got ${pages}`);
  });

  it('queries by key condition on the table and on the index', async () => {
    const t = await describeTable(clients.dynamodb, table);
    const onTable = await queryPage(clients.dynamodb, { table, limit: 100 }, t.key, {
      partitionValue: 'p1',
      sort: { operator: 'between', value: '10', value2: '40' },
    });
    assert.deepEqual(
      onTable.items.map((i) => Number(i.sk!.N)),
      [11, 16, 21, 26, 31, 36],
    );
    const desc = await queryPage(clients.dynamodb, { table, limit: 3 }, t.key, {
      partitionValue: 'p1',
      descending: true,
    });
    assert.deepEqual(
      desc.items.map((i) => Number(i.sk!.N)),
      [116, 111, 106],
    );
    const gsi = t.indexes[0]!;
    const onIndex = await queryPage(clients.dynamodb, { table, indexName: 'by-kind', limit: 100 }, gsi.key, {
      partitionValue: 'odd',
      sort: { operator: '<', value: '10' },
    });
    assert.deepEqual(
      onIndex.items.map((i) => Number(i.sk!.N)),
      [1, 3, 5, 7, 9],
    );
  });

  it('browser host: pages forward and back, queries, validates, creates, edits, deletes and exports', async () => {
    const box = postbox<DynamoHostMessage>();
    const exportFile = path.join(dir, 'export.json');
    const ui = scriptedUi({ saveTo: exportFile });
    const logger = recordingLogger();
    const c = new DynamoBrowserController(clients, table, ui, box.post, logger, 50);
    await c.handle({ type: 'ready' });
    assert.equal(box.last('init')!.table.name, table);
    let page = box.last('page')!;
    assert.equal(page.items.length, 50);
    assert.deepEqual(page.columns.slice(0, 2), ['pk', 'sk']);
    assert.equal(page.hasNext, true);
    const firstPageKeys = page.items.map((i) => (i.cells.pk ?? '') + (i.cells.sk ?? ''));
    await c.handle({ type: 'nextPage' });
    page = box.last('page')!;
    assert.equal(page.pageNumber, 2);
    assert.ok(page.items.every((i) => !firstPageKeys.includes((i.cells.pk ?? '') + (i.cells.sk ?? ''))));
    await c.handle({ type: 'previousPage' });
    assert.deepEqual(
      box.last('page')!.items.map((i) => (i.cells.pk ?? '') + (i.cells.sk ?? '')),
      firstPageKeys,
    );

    await c.handle({ type: 'query', query: { partitionValue: 'p2', sortOperator: '=', sortValue: '7' } });
    page = box.last('page')!;
    assert.equal(page.items.length, 1);
    assert.match(
      page.items[0]!.plainJson,
      new RegExp(`"n": ${big.replace('.', '\\.')}`),
      'plain JSON keeps every digit',
    );
    assert.match(page.items[0]!.dynamoJson, /"B": "B/);

    // invalid items come back as problems, nothing is written
    await c.handle({ type: 'put', text: '{"pk": "new", "sk": "not a number"}', format: 'plain-json' });
    assert.deepEqual(
      box.last('problems')!.problems.map((p) => p.path),
      ['sk'],
    );
    await c.handle({ type: 'put', text: '{"pk": {"S": "x"}', format: 'dynamodb-json' });
    assert.match(box.last('problems')!.problems[0]!.message, /Not valid JSON.*line 1/);

    // create, then refuse to create the same key again
    await c.handle({
      type: 'put',
      text: `{"pk": "new", "sk": 1000, "price": ${big}, "list": [1, "a"]}`,
      format: 'plain-json',
    });
    assert.equal(box.last('done')!.message, 'Item created.');
    const created = await clients.dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'new' }, sk: { N: '1000' } } }),
    );
    assert.equal(created.Item!.price!.N, big);
    assert.deepEqual(created.Item!.list, { L: [{ N: '1' }, { S: 'a' }] });
    await c.handle({ type: 'put', text: '{"pk": "new", "sk": 1000}', format: 'plain-json' });
    assert.match(box.last('error')!.message, /already exists/);

    // edit the queried item in DynamoDB JSON, keeping its set and binary
    await c.handle({ type: 'query', query: { partitionValue: 'new' } });
    const edited = JSON.parse(box.last('page')!.items[0]!.dynamoJson) as Record<string, unknown>;
    edited.note = { S: 'edited' };
    edited.tags = { SS: ['x', 'y'] };
    await c.handle({ type: 'put', text: JSON.stringify(edited), format: 'dynamodb-json', replaceIndex: 0 });
    assert.equal(box.last('done')!.message, 'Saved.');
    const after1 = await clients.dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: 'new' }, sk: { N: '1000' } } }),
    );
    assert.equal(after1.Item!.note!.S, 'edited');
    assert.deepEqual(after1.Item!.tags!.SS!.sort(), ['x', 'y']);

    // edit that changes the key: new item written, old one deleted
    await c.handle({ type: 'put', text: '{"pk": "new", "sk": 1001}', format: 'plain-json', replaceIndex: 0 });
    assert.match(box.last('done')!.message, /new key/);
    assert.equal(
      (
        await clients.dynamodb.send(
          new GetItemCommand({ TableName: table, Key: { pk: { S: 'new' }, sk: { N: '1000' } } }),
        )
      ).Item,
      undefined,
    );

    await c.handle({ type: 'query', query: { partitionValue: 'new' } });
    await c.handle({ type: 'delete', index: 0 });
    assert.equal(ui.confirms.length, 1);
    assert.equal(
      (
        await clients.dynamodb.send(
          new GetItemCommand({ TableName: table, Key: { pk: { S: 'new' }, sk: { N: '1001' } } }),
        )
      ).Item,
      undefined,
    );

    await c.handle({ type: 'scan', indexName: 'no-such-index' });
    assert.match(box.last('error')!.message, /has no index no-such-index/);
    assert.ok(
      logger.lines.some((l) => l.startsWith('error') && l.includes('no-such-index')),
      'failures are logged too',
    );

    // whole-table export, streamed to a file, read back losslessly
    await c.handle({ type: 'export', scope: 'table', format: 'dynamodb-json' });
    assert.match(box.last('done')!.message, /Exported 120 items/);
    const exported = parseLosslessJson(await readFile(exportFile, 'utf8')) as unknown[];
    assert.equal(exported.length, 120);
    const restored = exported.map((e) => itemFromDynamoJson(e as never));
    assert.ok(restored.every((r) => r.problems.length === 0));
    assert.equal(restored.find((r) => r.item.sk!.N === '7')!.item.n!.N, big);
    await assert.rejects(stat(`${exportFile}.partial`));
  });

  it('browser host: a delete sent before another one reloaded the page deletes the item chosen (by its key)', async () => {
    for (const sk of ['1', '2', '3'])
      await clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: 'race' }, sk: { N: sk } } }));
    const box = postbox<DynamoHostMessage>();
    const c = new DynamoBrowserController(clients, table, scriptedUi(), box.post, recordingLogger());
    await c.handle({ type: 'ready' });
    await c.handle({ type: 'query', query: { partitionValue: 'race' } });
    // The key as the webview names it: [[name, DynamoDB JSON value], …] in the table's key order.
    const keyOf = (sk: string) =>
      JSON.stringify([
        ['pk', { S: 'race' }],
        ['sk', { N: sk }],
      ]);
    const exists = async (sk: string) =>
      (await clients.dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'race' }, sk: { N: sk } } })))
        .Item !== undefined;
    // Both chosen on the page [1, 2, 3]: sk 1 at index 0, sk 2 at index 1. The first reloads the page to [2, 3].
    await c.handle({ type: 'delete', index: 0, key: keyOf('1') });
    await c.handle({ type: 'delete', index: 1, key: keyOf('2') });
    assert.deepEqual([await exists('1'), await exists('2'), await exists('3')], [false, false, true]);
    await c.handle({ type: 'delete', index: 0, key: keyOf('9') });
    assert.match(box.last('error')!.message, /no longer on this page/);
    assert.equal(await exists('3'), true, 'an item not on the page is not deleted in its place');
    await c.handle({ type: 'delete', index: 0, key: keyOf('3') });
    assert.equal(await exists('3'), false);
  });

  it('browser host: writes are refused with the reason when blocked', async () => {
    const box = postbox<DynamoHostMessage>();
    const c = new DynamoBrowserController(
      clients,
      table,
      scriptedUi({ blocked: 'not local' }),
      box.post,
      recordingLogger(),
    );
    await c.handle({ type: 'ready' });
    assert.equal(box.last('init')!.writable, false);
    await c.handle({ type: 'delete', index: 0 });
    assert.equal(box.last('error')!.message, 'not local');
    assert.equal((await scanPage(clients.dynamodb, { table, limit: 200 })).items.length, 120);
  });
});
