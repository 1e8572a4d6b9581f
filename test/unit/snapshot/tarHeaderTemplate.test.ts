import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Header } from 'tar';
import { HeaderTemplate } from '../../../src/core/snapshot/archive/tarGzStream';

const mtime = new Date('2026-11-22T10:11:12.345Z');
const nodeTar = (path: string, size: number) => {
  const block = Buffer.alloc(512);
  new Header({ path, mode: 0o600, size, mtime, type: 'File', uid: 0, gid: 0 }).encode(block, 0);
  return block;
};

test("the header template writes node-tar's own block for short ASCII paths, whatever the size", () => {
  const t = new HeaderTemplate(mtime);
  const paths = [
    'metadata/version',
    'resources/configmaps/namespaces/shop/cm-0001.json',
    'resources/secrets.age/v1-preferredversion/namespaces/a/b.json.age',
    'x',
    'a'.repeat(99),
  ];
  const sizes = [0, 1, 7, 8, 511, 512, 1750, 65536, 2 ** 30, 8 ** 10, 8 ** 11 - 1];
  for (const path of paths) {
    for (const size of sizes) {
      const buf = Buffer.alloc(1024, 0xee); // garbage around and under the block
      assert.equal(t.encode(buf, 256, path, size), true, `${path} ${size}`);
      assert.deepEqual(buf.subarray(256, 768), nodeTar(path, size), `${path} (${size} bytes)`);
      assert.ok(
        buf.subarray(0, 256).every((b) => b === 0xee) && buf.subarray(768).every((b) => b === 0xee),
        'nothing written outside the block',
      );
      const back = new Header(buf.subarray(256, 768));
      assert.equal(back.cksumValid, true);
      assert.equal(back.path, path);
      assert.equal(back.size, size);
    }
  }
});

test('paths and sizes that ustar cannot hold as they are are left to node-tar (pax)', () => {
  const t = new HeaderTemplate(mtime);
  const buf = Buffer.alloc(512, 0xee);
  for (const [path, size] of [
    ['a'.repeat(100), 1],
    ['resources/configmaps/namespaces/shop/é.json', 1],
    ['s3/objects/key with ✓', 1],
    ['ok', 8 ** 11],
  ] as const) {
    assert.equal(t.encode(buf, 0, path, size), false, `${path} ${size}`);
  }
  assert.ok(
    buf.every((b) => b === 0xee),
    'nothing written when refused',
  );
});
