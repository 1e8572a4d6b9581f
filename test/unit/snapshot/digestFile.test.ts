import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { digestFile } from '../../../src/core/snapshot/archive/digestingFile';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('digestFile: small files are kept whole, larger ones only digested; every digest is of the bytes on disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-digest-'));
  try {
    const cases = [
      { name: 'empty', bytes: Buffer.alloc(0), keep: 1024, kept: true },
      { name: 'small', bytes: randomBytes(3000), keep: 1024 * 1024, kept: true },
      { name: 'at-limit', bytes: randomBytes(4096), keep: 4096, kept: true },
      { name: 'one-over', bytes: randomBytes(4097), keep: 4096, kept: false },
      { name: 'large', bytes: randomBytes(3 * 1024 * 1024 + 7), keep: 1024 * 1024, kept: false },
      { name: 'not-asked', bytes: randomBytes(100), keep: 0, kept: false },
    ];
    for (const c of cases) {
      const file = join(dir, c.name);
      await writeFile(file, c.bytes);
      const got = await digestFile(file, c.keep);
      assert.equal(got.sha256, sha256(c.bytes), `${c.name}: digest`);
      assert.equal(got.size, c.bytes.length, `${c.name}: size`);
      if (c.kept) assert.ok(got.data?.equals(c.bytes), `${c.name}: kept bytes`);
      else assert.equal(got.data, undefined, `${c.name}: nothing kept`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
