import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createAwsClients, type AwsClients } from '../../../src/core/aws/clients';
import { deleteBucketAndContents, putObject } from '../../../src/core/aws/s3';
import { createBucket } from '../../../src/core/aws/s3Admin';
import { DrydockError } from '../../../src/core/errors';
import { openBackupStore } from '../../../src/core/velero';
import { awsEndpointUrl, awsRegion, uniqueName } from '../../support/env';

// A Velero backup storage location on S3 (moto), read and written through src/core/aws only (no SDK import outside
// it, a lint boundary): keys put here are listed and read back through the store, and what it writes reads back.

const bucket = uniqueName('bsl');
let clients: AwsClients;

before(async () => {
  clients = createAwsClients({ url: awsEndpointUrl(), region: awsRegion, source: { kind: 'setting' } });
  await createBucket(clients.s3, bucket);
  for (const key of ['velero/backups/b1/velero-backup.json', 'velero/backups/b2/b2.tar.gz', 'velero/metadata/x'])
    await putObject(clients.s3, bucket, key, `body of ${key}`);
});

after(async () => {
  await deleteBucketAndContents(clients.s3, bucket).catch(() => undefined);
  clients.destroy();
});

test('S3 backup store: lists backups and the top level, streams a key, says undefined for a missing one', async () => {
  const store = await openBackupStore(`s3://${bucket}/velero`, { endpoint: awsEndpointUrl() });
  try {
    assert.deepEqual(await store.listBackupNames(), ['b1', 'b2']);
    assert.deepEqual(await store.topLevelNames(), ['backups', 'metadata']);
    const body = await store.open('backups/b1/velero-backup.json');
    assert.ok(body);
    assert.equal(await text(body), 'body of velero/backups/b1/velero-backup.json');
    assert.equal(await store.open('backups/b1/nothing-here.json'), undefined);
  } finally {
    store.close();
  }
});

test('S3 backup store: writes bytes and streams of a known length', async () => {
  const store = await openBackupStore(`s3://${bucket}/velero`, { endpoint: awsEndpointUrl() });
  try {
    await store.put('backups/b3/a.json', Buffer.from('{"a":1}'), 7);
    await store.put('backups/b3/b.bin', () => Readable.from([Buffer.from('01234'), Buffer.from('56789')]), 10);
    assert.equal(await text((await store.open('backups/b3/a.json'))!), '{"a":1}');
    assert.equal(await text((await store.open('backups/b3/b.bin'))!), '0123456789');
    assert.deepEqual(await store.listBackupNames(), ['b1', 'b2', 'b3']);
  } finally {
    store.close();
  }
});

test('S3 backup store: a missing bucket is a not-found error naming it', async () => {
  const missing = uniqueName('no-bsl');
  const store = await openBackupStore(`s3://${missing}`, { endpoint: awsEndpointUrl() });
  try {
    await assert.rejects(store.open('backups/b1/velero-backup.json'), (e: unknown) => {
      assert.ok(DrydockError.is(e, 'not-found'), String(e));
      assert.match((e as Error).message, new RegExp(`Bucket ${missing} does not exist`));
      return true;
    });
  } finally {
    store.close();
  }
});
