import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { SnapshotWriter } from '../../../src/core/snapshot/archive/snapshotWriter';
import { SnapshotReader } from '../../../src/core/snapshot/archive/snapshotReader';
import { KEEP_ENTRY_BYTES } from '../../../src/core/snapshot/archive/tarGzEntries';
import { newManifest } from '../../../src/core/snapshot/manifest';
import { MANIFEST_PATH, VERSION_PATH } from '../../../src/core/snapshot/layout';
import { SnapshotInvalidError } from '../../../src/core/snapshot/snapshotErrors';

// A .tar.gz recovery point is verified by streaming and read on demand: no temporary copy of its entries.
let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), 'drydock-streamed-'))));
after(() => rm(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const big: [Buffer, Buffer] = [randomBytes(KEEP_ENTRY_BYTES * 3), randomBytes(KEEP_ENTRY_BYTES * 2 + 17)];
const small = JSON.stringify({ small: true });

async function snapshot(target: string): Promise<void> {
  const writer = await SnapshotWriter.create(target);
  await writer.writeEntry('aws/s3/b/objects/0', big[0]);
  await writer.writeEntry('resources/configmaps/namespaces/shop/a.json', small);
  await writer.writeEntry('aws/s3/b/objects/1', big[1]);
  await writer.commit(newManifest('test'));
}

/** Runs `fn` with TMPDIR pointing at an empty folder and returns the most files seen in it meanwhile. */
async function filesInTempDuring(fn: () => Promise<void>): Promise<number> {
  const temp = await mkdtemp(join(dir, 'tmp-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = temp;
  let most = 0;
  const look = async () => (most = Math.max(most, (await readdir(temp, { recursive: true })).length));
  const timer = setInterval(() => void look(), 5);
  try {
    await fn();
  } finally {
    clearInterval(timer);
    // (Assigning undefined would set the string "undefined".)
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  await look();
  return most;
}

const readAll = async (reader: SnapshotReader, path: string) => {
  const chunks: Buffer[] = [];
  for await (const c of reader.stream(path)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

test('a .tar.gz is verified and read in any order without writing its entries to the temporary folder', async () => {
  const target = join(dir, 'snap.tar.gz');
  await snapshot(target);
  const seen = await filesInTempDuring(async () => {
    const reader = await SnapshotReader.open(target);
    try {
      // Later entry first, then an earlier one (a second applying pass), then a kept one.
      assert.equal(sha(await readAll(reader, 'aws/s3/b/objects/1')), sha(big[1]));
      assert.equal(sha(await readAll(reader, 'aws/s3/b/objects/0')), sha(big[0]));
      assert.deepEqual(JSON.parse(await reader.readText('resources/configmaps/namespaces/shop/a.json')), {
        small: true,
      });
      // Two entries read at once.
      const [a, b] = await Promise.all([readAll(reader, 'aws/s3/b/objects/0'), readAll(reader, 'aws/s3/b/objects/1')]);
      assert.deepEqual([sha(a), sha(b)], [sha(big[0]), sha(big[1])]);
    } finally {
      await reader.close();
    }
  });
  assert.equal(seen, 0);
});

test('an archive changed after it was verified fails the read instead of serving other bytes', async () => {
  const target = join(dir, 'changed.tar.gz');
  await snapshot(target);
  const reader = await SnapshotReader.open(target);
  try {
    // Overwrite the archive in place (same inode, same open file) with one whose first entry differs.
    const other = join(dir, 'other.tar.gz');
    const writer = await SnapshotWriter.create(other);
    await writer.writeEntry('aws/s3/b/objects/0', randomBytes(big[0].length));
    await writer.commit(newManifest('test'));
    const h = await open(target, 'r+');
    await h.truncate(0);
    await h.write(await readFile(other), 0, undefined, 0);
    await h.close();
    await assert.rejects(readAll(reader, 'aws/s3/b/objects/0'), (e) => SnapshotInvalidError.isInvalid(e));
  } finally {
    await reader.close();
  }
});

test('an archive cut short while an entry is paused between chunks fails that read with "truncated"', async () => {
  const target = join(dir, 'cut.tar.gz');
  await snapshot(target);
  const reader = await SnapshotReader.open(target);
  try {
    // Cut the verified archive inside its first entry: the applying pass meets the end of the file while its
    // reader is still holding a chunk (no read pending), which must reach the reader as its own error.
    const h = await open(target, 'r+');
    await h.truncate(40 * 1024);
    await h.close();
    const slowRead = async () => {
      for await (const _ of reader.stream('aws/s3/b/objects/0')) await new Promise((r) => setTimeout(r, 20));
    };
    await assert.rejects(slowRead(), (e) => SnapshotInvalidError.isInvalid(e) && e.problem === 'truncated');
  } finally {
    await reader.close();
  }
});

test('an archive cut anywhere is refused as "truncated" by the verifying pass, whatever entry it was reading', async () => {
  const source = join(dir, 'many');
  const writer = await SnapshotWriter.create(source + '.tar.gz');
  for (let i = 0; i < 40; i++)
    await writer.writeEntry(`resources/configmaps/namespaces/shop/c${i}.json`, randomBytes(3000));
  await writer.commit(newManifest('test'));
  const whole = await readFile(source + '.tar.gz');
  for (let cut = 200; cut < whole.length; cut += 997) {
    const file = join(dir, `many-${cut}.tar.gz`);
    await writeFile(file, whole.subarray(0, cut));
    await assert.rejects(
      SnapshotReader.open(file),
      (e) => SnapshotInvalidError.isInvalid(e) && e.problem === 'truncated',
      `cut at ${cut} of ${whole.length}`,
    );
  }
});

test('an unlisted oversized entry is refused and nothing of it reaches the temporary folder', async () => {
  await snapshot(join(dir, 'plain'));
  // The directory form holds the same entries as files; pack them with a 12 MB stranger added.
  await writeFile(join(dir, 'plain', 'resources', 'huge.json'), randomBytes(12 * 1024 * 1024));
  const evil = join(dir, 'evil.tar.gz');
  await tar.create({ gzip: true, file: evil, cwd: join(dir, 'plain') }, [
    'resources',
    'aws',
    MANIFEST_PATH.split('/')[0] ?? MANIFEST_PATH,
    VERSION_PATH.split('/')[0] ?? VERSION_PATH,
  ]);
  let problem: string | undefined;
  const seen = await filesInTempDuring(async () => {
    try {
      await (await SnapshotReader.open(evil)).close();
    } catch (error) {
      assert.ok(SnapshotInvalidError.isInvalid(error));
      problem = error.problem;
    }
  });
  assert.equal(problem, 'unexpected-entry');
  assert.equal(seen, 0);
});
