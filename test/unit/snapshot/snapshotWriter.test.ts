import { test, after, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotWriter } from '../../../src/core/snapshot/archive/snapshotWriter';
import { SnapshotReader } from '../../../src/core/snapshot/archive/snapshotReader';
import { newManifest } from '../../../src/core/snapshot/manifest';
import { MANIFEST_PATH } from '../../../src/core/snapshot/layout';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drydock-writer-'));
});
after(() => rm(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
// Longer than a plain tar header's 100-byte name field: needs a pax header.
const LONG = `resources/widgets.${'very-long-group-name.'.repeat(6)}example.com/namespaces/shop/${'w'.repeat(80)}.json`;
const big = randomBytes(3 * 1024 * 1024 + 17);

/** Chunks of `bytes` as a slow producer sends them. */
async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) {
    await new Promise((r) => setImmediate(r));
    yield bytes.subarray(i, i + size);
  }
}

/** Many concurrent writers of every kind, as a capture makes them. */
async function fill(writer: SnapshotWriter): Promise<Map<string, string>> {
  const expected = new Map<string, string>();
  const jobs: Promise<unknown>[] = [];
  for (let i = 0; i < 300; i++) {
    const path = `resources/configmaps/namespaces/shop/cm-${i}.json`;
    const body = JSON.stringify({
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}` },
      data: { i: String(i), ü: 'ünïcödé' },
    });
    expected.set(path, sha(body));
    jobs.push(writer.writeEntry(path, body));
  }
  expected.set(LONG, sha('{"long":true}'));
  jobs.push(writer.writeEntry(LONG, '{"long":true}'));
  expected.set('aws/s3/b/objects/0', sha(big));
  jobs.push(writer.writeStream('aws/s3/b/objects/0', chunks(big, 64 * 1024)));
  expected.set('aws/s3/b/objects/empty', sha(''));
  jobs.push(writer.writeStream('aws/s3/b/objects/empty', chunks(new Uint8Array(0), 1)));
  const lines = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i, s: 'x'.repeat(i % 50) }));
  expected.set('aws/sqs/q/messages.jsonl', sha(lines.map((l) => l + '\n').join('')));
  jobs.push(
    writer.writeLines('aws/sqs/q/messages.jsonl', async (sink) => {
      for (const l of lines) await sink.write(l);
    }),
  );
  await Promise.all(jobs);
  return expected;
}

for (const name of ['streamed.tar.gz', 'streamed-dir']) {
  test(`${name}: every entry of concurrent writers arrives whole, with the digest the manifest records`, async () => {
    const target = join(dir, name);
    const writer = await SnapshotWriter.create(target);
    const expected = await fill(writer);
    await writer.commit(newManifest('test'));

    const reader = await SnapshotReader.open(target);
    try {
      for (const [path, digest] of expected) assert.equal(reader.manifest.entries[path]?.sha256, digest, path);
      const hash = createHash('sha256');
      for await (const chunk of reader.stream('aws/s3/b/objects/0')) hash.update(chunk as Buffer);
      assert.equal(hash.digest('hex'), sha(big));
      assert.deepEqual(JSON.parse(await reader.readText(LONG)), { long: true });
      let n = 0;
      for await (const line of reader.lines('aws/sqs/q/messages.jsonl'))
        assert.equal((JSON.parse(line) as { i: number }).i, n++);
      assert.equal(n, 1000);
    } finally {
      await reader.close();
    }
    // Only the snapshot is left beside it: no staging directory, spool or temporary archive.
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.startsWith(`.${name}`)),
      [],
    );
  });
}

test('the streamed .tar.gz is a standard archive: GNU tar lists every entry, the manifest included, and extracts the bytes', async () => {
  const target = join(dir, 'gnu.tar.gz');
  const writer = await SnapshotWriter.create(target);
  const expected = await fill(writer);
  await writer.commit(newManifest('test'));
  const listed = execFileSync('tar', ['-tzf', target], { maxBuffer: 64 * 1024 * 1024 })
    .toString()
    .trim()
    .split('\n');
  for (const path of [...expected.keys(), MANIFEST_PATH, 'metadata/version'])
    assert.ok(listed.includes(path), `${path} listed by tar`);
  assert.equal(listed.length, new Set(listed).size, 'no entry twice');
  const out = join(dir, 'gnu-out');
  execFileSync('mkdir', ['-p', out]);
  execFileSync('tar', ['-xzf', target, '-C', out]);
  assert.equal(sha(await readFile(join(out, ...LONG.split('/')))), expected.get(LONG));
  assert.equal(sha(await readFile(join(out, 'aws', 's3', 'b', 'objects', '0'))), sha(big));
});

test('abort after a failed stream leaves neither a snapshot nor any partial file', async () => {
  const target = join(dir, 'failed.tar.gz');
  const writer = await SnapshotWriter.create(target);
  await writer.writeEntry('resources/configmaps/namespaces/shop/a.json', '{}');
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(10);
    throw new Error('connection reset');
  }
  await assert.rejects(writer.writeStream('aws/s3/b/objects/0', broken()), /connection reset/);
  await writer.abort();
  assert.equal(existsSync(target), false);
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.startsWith('.failed.tar.gz')),
    [],
  );
});

test('an entry path written twice is refused', async () => {
  const writer = await SnapshotWriter.create(join(dir, 'twice.tar.gz'));
  await writer.writeEntry('metadata/x', 'a');
  await assert.rejects(writer.writeEntry('metadata/x', 'b'), /written twice/);
  await writer.abort();
});
