import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotWriter } from '../../../src/core/snapshot/archive/snapshotWriter';
import { SnapshotReader } from '../../../src/core/snapshot/archive/snapshotReader';
import { KEEP_ENTRY_BYTES } from '../../../src/core/snapshot/archive/tarGzEntries';
import { newManifest } from '../../../src/core/snapshot/manifest';
import { itemPath } from '../../../src/core/snapshot/layout';
import { planRestore } from '../../../src/core/snapshot/restorePlan';
import { validateRestorePlan } from '../../../src/core/snapshot/restoreSnapshot';
import { SnapshotInvalidError } from '../../../src/core/snapshot/snapshotErrors';

// A snapshot directory is verified once (its files digested a few at a time) and its items then validated and
// restored from the bytes that were verified, reading ahead: what these tests pin down.
let dir: string;
before(async () => (dir = await mkdtemp(join(tmpdir(), 'drydock-dirreader-'))));
after(() => rm(dir, { recursive: true, force: true }));

const COUNT = 40;
const name = (i: number) => `cm-${String(i).padStart(2, '0')}`;
const path = (i: number, encrypted = false) =>
  itemPath({ resource: 'configmaps', group: '', namespace: 'shop', name: name(i) }, encrypted);
const configMap = (n: string) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: 'shop' }, data: { n } });
const big = randomBytes(KEEP_ENTRY_BYTES * 2 + 5);

/** COUNT ConfigMaps (those in `wrong` hold another object; `sealed` ones are encrypted bytes) and one large entry. */
async function snapshot(target: string, wrong: number[] = [], sealed: number[] = []): Promise<void> {
  const writer = await SnapshotWriter.create(target);
  for (let i = 0; i < COUNT; i++) {
    if (sealed.includes(i)) await writer.writeEntry(path(i, true), randomBytes(200));
    else await writer.writeEntry(path(i), configMap(wrong.includes(i) ? 'someone-else' : name(i)));
  }
  await writer.writeEntry('aws/s3/b/data/0', big);
  const manifest = newManifest('test');
  manifest.resources = [
    { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, count: COUNT },
  ];
  manifest.counts.items = COUNT;
  await writer.commit(manifest);
}

const readAll = async (reader: SnapshotReader, p: string) => {
  const chunks: Buffer[] = [];
  for await (const c of reader.stream(p)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

test('a snapshot directory serves the entries it verified: small ones are not read from disk again', async () => {
  const target = join(dir, 'good');
  await snapshot(target);
  const reader = await SnapshotReader.open(target);
  try {
    // Every item changed on disk after the directory was verified: what is read is still what was verified.
    for (let i = 0; i < COUNT; i++) await writeFile(join(target, ...path(i).split('/')), configMap('changed'));
    for (let i = 0; i < COUNT; i++) assert.equal((await reader.readItem(path(i))).metadata?.name, name(i));
    assert.deepEqual(await readAll(reader, 'aws/s3/b/data/0'), big);
  } finally {
    await reader.close();
  }
});

test('validating a plan reads ahead but reports the first bad item in plan order', async () => {
  const target = join(dir, 'bad');
  // cm-05 holds another object; cm-06 and cm-30 cannot be read at all (encrypted, no key): both are read while
  // cm-05 is checked, and neither may hide cm-05's problem or go unhandled.
  await snapshot(target, [5], [6, 30]);
  const reader = await SnapshotReader.open(target);
  try {
    const plan = await planRestore(reader, { kube: {} });
    assert.equal(plan.kube.length, COUNT);
    await assert.rejects(
      validateRestorePlan(reader, plan),
      (e) => SnapshotInvalidError.isInvalid(e) && e.problem === 'content' && e.entry === path(5),
    );
  } finally {
    await reader.close();
  }
});

test('a plan whose items are all good validates, each visited once in plan order', async () => {
  const target = join(dir, 'fine');
  await snapshot(target);
  const reader = await SnapshotReader.open(target);
  try {
    const plan = await planRestore(reader, { kube: {} });
    const seen: string[] = [];
    await validateRestorePlan(reader, plan, undefined, (obj) => seen.push(obj.metadata?.name ?? '?'));
    assert.deepEqual(
      seen,
      Array.from({ length: COUNT }, (_, i) => name(i)),
    );
  } finally {
    await reader.close();
  }
});
