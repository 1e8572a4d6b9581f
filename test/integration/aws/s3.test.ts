import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand } from '@aws-sdk/client-s3';
import {
  deleteObject,
  downloadObject,
  getObjectBytes,
  iterateObjects,
  listBuckets,
  listLevel,
  objectViewKind,
  putObject,
  uploadFile,
} from '../../../src/core/aws/s3';
import { DrydockError } from '../../../src/core/errors';
import { S3PreviewController } from '../../../src/vscode/aws/browsers/s3PreviewController';
import type { S3PreviewHostMessage } from '../../../src/protocol/s3Preview';
import { repoRoot, uniqueName } from '../../support/env';
import { postbox, recordingLogger, scriptedUi, testClients } from './helpers';

const clients = testClients();
const bucket = uniqueName('dd-objects');
let dir = '';

describe('S3 against the real emulator', () => {
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'drydock-s3-'));
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // 250 objects at the root: more than two of moto's 100-key pages
    for (let i = 0; i < 250; i += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_, j) =>
          putObject(
            clients.s3,
            bucket,
            `flat/obj-${String(i + j).padStart(3, '0')}.txt`,
            `object ${i + j}\n`,
            'text/plain',
          ),
        ),
      );
    }
    for (let p = 0; p < 130; p += 26) {
      await Promise.all(
        Array.from({ length: 26 }, (_, j) =>
          putObject(
            clients.s3,
            bucket,
            `deep/p${String(p + j).padStart(3, '0')}/x.json`,
            '{"a":1}',
            'application/json',
          ),
        ),
      );
    }
    await putObject(clients.s3, bucket, 'top.json', '{"n": 1}', 'application/json');
  });

  after(async () => {
    const keys: string[] = [];
    for await (const page of iterateObjects(clients.s3, bucket)) keys.push(...page.map((o) => o.key));
    for (let i = 0; i < keys.length; i += 1000) {
      await clients.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) },
        }),
      );
    }
    await clients.s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    clients.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists buckets, and each level by "/" across every page', async () => {
    assert.ok((await listBuckets(clients.s3)).some((b) => b.name === bucket));
    const root = await listLevel(clients.s3, bucket, '');
    assert.deepEqual(root.prefixes, ['deep/', 'flat/']);
    assert.deepEqual(
      root.objects.map((o) => o.key),
      ['top.json'],
    );
    const flat = await listLevel(clients.s3, bucket, 'flat/');
    assert.equal(flat.objects.length, 250, 'all pages were followed');
    assert.equal(flat.objects[249]!.key, 'flat/obj-249.txt');
    assert.ok(flat.objects[0]!.size > 0 && flat.objects[0]!.lastModified instanceof Date);
    const deep = await listLevel(clients.s3, bucket, 'deep/');
    assert.equal(deep.prefixes.length, 130, 'common prefixes are paged too');
    const capped = await listLevel(clients.s3, bucket, 'flat/', { maxEntries: 120 });
    assert.equal(capped.truncated, true);
    let total = 0;
    for await (const page of iterateObjects(clients.s3, bucket)) total += page.length;
    assert.equal(total, 381);
  });

  it('reads, downloads, uploads and deletes objects', async () => {
    const { bytes } = await getObjectBytes(clients.s3, bucket, 'flat/obj-007.txt', 1024);
    assert.equal(bytes.toString(), 'object 7\n');
    await assert.rejects(getObjectBytes(clients.s3, bucket, 'flat/obj-007.txt', 3), (e: unknown) =>
      DrydockError.is(e, 'unsupported'),
    );
    await assert.rejects(getObjectBytes(clients.s3, bucket, 'absent', 10), (e: unknown) =>
      DrydockError.is(e, 'not-found'),
    );
    const file = path.join(dir, 'up.bin');
    const payload = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));
    await writeFile(file, payload);
    await uploadFile(clients.s3, bucket, 'uploads/up.bin', file);
    const down = path.join(dir, 'down.bin');
    assert.equal(await downloadObject(clients.s3, bucket, 'uploads/up.bin', down), payload.length);
    assert.ok((await readFile(down)).equals(payload));
    await deleteObject(clients.s3, bucket, 'uploads/up.bin');
    assert.deepEqual((await listLevel(clients.s3, bucket, 'uploads/')).objects, []);
  });

  it('decides how an object opens', () => {
    assert.equal(objectViewKind('a/b.json'), 'text');
    assert.equal(objectViewKind('x', 'application/json'), 'text');
    assert.equal(objectViewKind('logo.png'), 'image');
    assert.equal(objectViewKind('blob.bin', 'application/octet-stream'), 'binary');
  });

  it('image preview host: sends the image, deletes only after confirmation', async () => {
    const png = await readFile(path.join(repoRoot, 'env', 'seed', 'logo.png'));
    await putObject(clients.s3, bucket, 'img/logo.png', png, 'image/png');
    const box = postbox<S3PreviewHostMessage>();
    let deleted = 0;
    const declined = scriptedUi({ confirmAnswer: false });
    const c = new S3PreviewController(
      clients,
      bucket,
      'img/logo.png',
      declined,
      box.post,
      recordingLogger(),
      () => deleted++,
    );
    await c.handle({ type: 'ready' });
    const image = box.last('image')!;
    assert.equal(image.contentType, 'image/png');
    assert.ok(Buffer.from(image.base64, 'base64').equals(png));
    await c.handle({ type: 'delete' });
    assert.equal(declined.confirms.length, 1);
    assert.equal(deleted, 0);
    const yes = new S3PreviewController(
      clients,
      bucket,
      'img/logo.png',
      scriptedUi(),
      box.post,
      recordingLogger(),
      () => deleted++,
    );
    await yes.handle({ type: 'delete' });
    assert.equal(deleted, 1);
    await c.handle({ type: 'ready' });
    assert.match(box.last('error')!.message, /does not exist/);
  });
});
