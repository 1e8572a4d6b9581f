import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import {
  openBackupStore,
  openVeleroBackup,
  isVeleroBackup,
  listVeleroBackups,
  pullSnapshot,
  pushSnapshot,
} from '../../../src/core/velero';
import { SnapshotReader } from '../../../src/core/snapshot';
import { SnapshotInvalidError } from '../../../src/core/snapshot/snapshotErrors';

// Velero's real backup of the sample namespace (made by Velero v1.18.3): ../shared/corpus/velero/backups/b1.
const CORPUS = resolve(__dirname, '../../../../shared/corpus/velero/backups/b1');
const haveCorpus = existsSync(join(CORPUS, 'velero-backup.json'));
const skipNoCorpus = haveCorpus ? false : `SKIPPED: the Velero corpus ${CORPUS} is absent`;

// One suite, so that its hooks (TMPDIR pointed at a watched folder) hold for its own tests only, also when every
// test file runs in one process.
describe('reading a Velero backup: the corpus backup b1 and broken copies of it', () => {
  let work: string;
  let scratchTmp: string;
  const oldTmp = process.env.TMPDIR;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'velero-input-'));
    // Everything openVeleroBackup writes goes under os.tmpdir(): point it at a folder we can watch.
    scratchTmp = join(work, 'tmp');
    cpSync(CORPUS, join(work, 'pristine'), { recursive: true });
    rmSync(scratchTmp, { recursive: true, force: true });
    mkdirSync(scratchTmp);
    process.env.TMPDIR = scratchTmp;
  });
  after(() => {
    // (Assigning undefined would set the string "undefined".)
    if (oldTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = oldTmp;
    rmSync(work, { recursive: true, force: true });
  });

  const opts = { toolVersion: 'test' };

  /** A copy of the real backup b1 under backups/<name>/, changed by `edit`. */
  function backupCopy(name: string, edit?: (dir: string) => void): string {
    const dir = join(work, name, 'backups', 'b1');
    cpSync(join(work, 'pristine'), dir, { recursive: true });
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
    edit?.(dir);
    return dir;
  }

  function editBackupJson(dir: string, f: (b: { status: Record<string, unknown> }) => void): void {
    const file = join(dir, 'velero-backup.json');
    const b = JSON.parse(readFileSync(file, 'utf8')) as { status: Record<string, unknown> };
    f(b);
    writeFileSync(file, JSON.stringify(b));
  }

  /** A gzipped tar of raw entries (as an attacker or a broken tool could write them). */
  function rawTarGz(entries: { path: string; type?: string; body?: string; linkpath?: string }[]): Buffer {
    const blocks: Buffer[] = [];
    for (const e of entries) {
      const body = Buffer.from(e.body ?? '');
      const h = new tar.Header({
        path: e.path,
        type: (e.type ?? 'File') as tar.Header['type'],
        size: e.type && e.type !== 'File' ? 0 : body.length,
        mode: 0o755,
        mtime: new Date(0),
        linkpath: e.linkpath,
      });
      const block = Buffer.alloc(512);
      h.encode(block, 0);
      blocks.push(block);
      if (!e.type || e.type === 'File') blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
    blocks.push(Buffer.alloc(1024));
    return gzipSync(Buffer.concat(blocks));
  }

  async function refused(source: string, problem: string, pattern: RegExp): Promise<void> {
    const before = readdirSync(scratchTmp).length;
    await assert.rejects(openVeleroBackup(source, opts), (e: unknown) => {
      assert.ok(SnapshotInvalidError.isInvalid(e), `expected an invalid-backup error, got ${String(e)}`);
      assert.equal(e.problem, problem, e.message);
      assert.match(e.message, pattern);
      return true;
    });
    assert.equal(readdirSync(scratchTmp).length, before, 'nothing is left behind');
  }

  test(
    'the real Velero backup b1 opens as a recovery point: items, Secrets encrypted, what Velero skipped',
    { skip: skipNoCorpus },
    async () => {
      assert.equal(await isVeleroBackup(backupCopy('ok')), true);
      const opened = await openVeleroBackup(join(work, 'ok', 'backups', 'b1'), opts);
      try {
        assert.equal(opened.info.phase, 'Completed');
        assert.deepEqual(opened.info.includedNamespaces, ['shop']);
        const reader = await SnapshotReader.open(opened.path, { keySource: opened.keySource, requireSecrets: true });
        try {
          const m = reader.manifest;
          assert.deepEqual(m.source.kube?.namespaces, ['shop']);
          assert.equal(m.counts.secrets, 1);
          assert.ok(
            reader.has('resources/secrets/namespaces/shop/shop-credentials.json.age'),
            'the Secret is encrypted in the opened copy',
          );
          const secret = await reader.readItem('resources/secrets/namespaces/shop/shop-credentials.json.age');
          const plain = join(work, 'ok-extracted');
          mkdirSync(plain);
          await tar.x({ file: join(work, 'ok', 'backups', 'b1', 'b1.tar.gz'), cwd: plain });
          assert.deepEqual(
            secret,
            JSON.parse(readFileSync(join(plain, 'resources/secrets/namespaces/shop/shop-credentials.json'), 'utf8')),
            'decrypts to what Velero stored',
          );
          const deploy = await reader.readItem('resources/deployments.apps/namespaces/shop/web.json');
          assert.equal(deploy.kind, 'Deployment');
          assert.ok(
            m.skipped.some(
              (s) =>
                s.resource === 'persistentvolumeclaims' &&
                s.name === 'shop-data' &&
                /Velero did not back up/.test(s.reason),
            ),
            "Velero's skipped volume is a gap",
          );
          assert.ok(
            m.skipped.some((s) => s.resource === 'events'),
            'events are not restored',
          );
        } finally {
          await reader.close();
        }
      } finally {
        await opened.close();
      }
      assert.equal(readdirSync(scratchTmp).length, 0, 'close() removes the private copy');
    },
  );

  test(
    'refused with a clear error and nothing written: no velero-backup.json, no tarball',
    { skip: skipNoCorpus },
    async () => {
      await refused(
        backupCopy('no-json', (d) => rmSync(join(d, 'velero-backup.json'))),
        'missing-entry',
        /has no velero-backup\.json/,
      );
      await refused(
        backupCopy('no-tar', (d) => rmSync(join(d, 'b1.tar.gz'))),
        'missing-entry',
        /has no b1\.tar\.gz/,
      );
    },
  );

  test(
    'refused: phase InProgress, Failed or none, unknown format version, another name',
    { skip: skipNoCorpus },
    async () => {
      await refused(
        backupCopy('in-progress', (d) => editBackupJson(d, (b) => (b.status.phase = 'InProgress'))),
        'content',
        /phase InProgress.*wait until Velero has finished/,
      );
      await refused(
        backupCopy('failed', (d) => editBackupJson(d, (b) => (b.status.phase = 'Failed'))),
        'content',
        /phase Failed/,
      );
      await refused(
        backupCopy('no-phase', (d) => editBackupJson(d, (b) => delete b.status.phase)),
        'content',
        /phase \(none\)/,
      );
      await refused(
        backupCopy('format', (d) => editBackupJson(d, (b) => (b.status.formatVersion = '2.0.0'))),
        'schema',
        /format version 2\.0\.0/,
      );
      await refused(
        backupCopy('renamed', (d) =>
          editBackupJson(d, (b) => ((b as unknown as { metadata: { name: string } }).metadata.name = 'other')),
        ),
        'manifest',
        /names backup "other"/,
      );
    },
  );

  test(
    'refused: a tarball with traversal, absolute or link entries, an unknown metadata/version, or truncated',
    { skip: skipNoCorpus },
    async () => {
      const version = { path: 'metadata/version', body: '1.1.0\n' };
      const item = {
        path: 'resources/configmaps/namespaces/shop/c.json',
        body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } }),
      };
      const withTar = (name: string, bytes: Buffer) =>
        backupCopy(name, (d) => writeFileSync(join(d, 'b1.tar.gz'), bytes));
      await refused(
        withTar('traversal', rawTarGz([version, { path: 'resources/../../../etc/x.json', body: '{}' }])),
        'path',
        /outside the backup/,
      );
      await refused(
        withTar('absolute', rawTarGz([version, { path: '/etc/passwd', body: 'x' }])),
        'path',
        /outside the backup/,
      );
      await refused(
        withTar(
          'symlink',
          rawTarGz([
            version,
            { path: 'resources/configmaps/namespaces/shop/l.json', type: 'SymbolicLink', linkpath: '/etc/passwd' },
          ]),
        ),
        'unexpected-entry',
        /SymbolicLink, not a regular file/,
      );
      await refused(
        withTar(
          'hardlink',
          rawTarGz([
            version,
            item,
            { path: 'resources/configmaps/namespaces/shop/h.json', type: 'Link', linkpath: item.path },
          ]),
        ),
        'unexpected-entry',
        /Link, not a regular file/,
      );
      await refused(
        withTar('version', rawTarGz([{ path: 'metadata/version', body: '9.0.0\n' }, item])),
        'schema',
        /format version 9\.0\.0/,
      );
      await refused(withTar('no-version', rawTarGz([item])), 'missing-entry', /metadata\/version is missing/);
      const real = readFileSync(join(work, 'pristine', 'b1.tar.gz'));
      await refused(
        withTar('truncated', real.subarray(0, Math.floor(real.length / 2))),
        'truncated',
        /truncated or damaged/,
      );
      await refused(
        withTar(
          'wrong-object',
          rawTarGz([
            version,
            {
              ...item,
              body: JSON.stringify({
                apiVersion: 'v1',
                kind: 'ConfigMap',
                metadata: { name: 'other', namespace: 'shop' },
              }),
            },
          ]),
        ),
        'content',
        /not the object its path names/,
      );
    },
  );

  test(
    'velero list reads a BSL folder: phase, namespaces, items, errors/warnings and skipped volumes',
    { skip: skipNoCorpus },
    async () => {
      backupCopy('listed');
      const l = await listVeleroBackups(join(work, 'listed'));
      assert.equal(l.backups.length, 1);
      const b = l.backups[0]!;
      assert.equal(b.name, 'b1');
      assert.equal(b.info?.phase, 'Completed');
      assert.deepEqual(b.info?.includedNamespaces, ['shop']);
      assert.equal(b.info?.itemsBackedUp, 26);
      assert.deepEqual(b.reported, {
        errors: 0,
        warnings: 0,
        skippedVolumes: 1,
        podVolumeBackups: 0,
        volumeSnapshots: 0,
      });
      assert.deepEqual(l.foreignTopLevel, []);
    },
  );

  test(
    "push writes Velero's layout: 0755 directory entries and files, Completed 1.1.0 backup; Secrets left out unless opted in",
    { skip: skipNoCorpus },
    async () => {
      const opened = await openVeleroBackup(backupCopy('push-src'), opts);
      const bsl = join(work, 'bsl');
      const store = await openBackupStore(bsl);
      try {
        const r = await pushSnapshot({ snapshot: opened.path, store, name: 'pushed' });
        assert.deepEqual(r.secretsLeftOut, ['shop/shop-credentials']);
        const withSecrets = await pushSnapshot({
          snapshot: opened.path,
          store,
          name: 'pushed-plain',
          plainSecrets: true,
          keySource: opened.keySource,
        });
        assert.deepEqual(withSecrets.secretsLeftOut, []);
        await assert.rejects(
          pushSnapshot({ snapshot: opened.path, store, name: 'pushed' }),
          /already has a backup named pushed/,
        );
        const entries: { path: string; type: string; mode: number }[] = [];
        await tar.t({
          file: join(bsl, 'backups', 'pushed', 'pushed.tar.gz'),
          onReadEntry: (e) => void entries.push({ path: e.path, type: e.type, mode: e.mode ?? 0 }),
        });
        assert.equal(entries[0]!.path, 'metadata/');
        assert.ok(
          entries.every((e) => (e.mode & 0o777) === 0o755),
          'every entry 0755',
        );
        const files = new Set(entries.filter((e) => e.type === 'File').map((e) => e.path));
        for (const e of entries.filter((x) => x.type === 'File')) {
          const parents = e.path
            .split('/')
            .slice(0, -1)
            .map((_, i, a) => a.slice(0, i + 1).join('/') + '/');
          for (const p of parents)
            assert.ok(
              entries.findIndex((x) => x.path === p && x.type === 'Directory') <
                entries.findIndex((x) => x.path === e.path),
              `${p} precedes ${e.path}`,
            );
        }
        assert.ok(
          files.has('resources/deployments.apps/namespaces/shop/web.json') &&
            files.has('resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json'),
        );
        assert.ok(
          ![...files].some((f) => f.includes('secrets/')),
          "no Secret in Velero's view without --plain-secrets",
        );
        assert.ok(![...files].some((f) => f.endsWith('.age')));
        // Read back as a Velero backup: the same objects as the source (Secrets aside).
        const back = await openVeleroBackup(join(bsl, 'backups', 'pushed-plain'), opts);
        try {
          assert.equal(back.info.phase, 'Completed');
          assert.equal(back.info.formatVersion, '1.1.0');
          assert.deepEqual(back.manifest.resources, opened.manifest.resources);
          const a = await SnapshotReader.open(opened.path, { keySource: opened.keySource });
          const b = await SnapshotReader.open(back.path, { keySource: back.keySource });
          try {
            for (const p of a
              .entryPaths()
              .filter((x) => x.startsWith('resources/') && !x.includes('-preferredversion/')))
              assert.deepEqual(await b.readItem(p), await a.readItem(p), p);
          } finally {
            await a.close();
            await b.close();
          }
        } finally {
          await back.close();
        }
        const listed = await listVeleroBackups(bsl);
        assert.deepEqual(listed.backups.map((x) => [x.name, x.drydock, x.reported?.warnings]).sort(), [
          ['pushed', true, 1],
          ['pushed-plain', true, 0],
        ]);
        assert.deepEqual(listed.foreignTopLevel, []);
        // Pull gives back Drydock's own recovery point, valid.
        const pulled = join(work, 'pulled.tar.gz');
        await pullSnapshot(store, 'pushed', pulled);
        const p = await SnapshotReader.open(pulled);
        assert.equal(p.manifest.counts.items, opened.manifest.counts.items);
        await p.close();
      } finally {
        store.close();
        await opened.close();
      }
    },
  );

  test(
    'push to a storage endpoint that is not on this machine is refused before any request',
    { skip: skipNoCorpus },
    async () => {
      const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
      process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
      process.env.AWS_SECRET_ACCESS_KEY = 'example';
      const store = await openBackupStore('s3://team-backups/velero', { endpoint: 'http://192.0.2.10:9000' });
      try {
        const started = Date.now();
        await assert.rejects(
          pushSnapshot({ snapshot: join(work, 'does-not-matter'), store, name: 'x' }),
          (e: unknown) => {
            assert.ok(e instanceof Error && (e as { code?: string }).code === 'not-local', String(e));
            assert.match(e.message, /192\.0\.2\.10.*not/);
            return true;
          },
        );
        assert.ok(Date.now() - started < 1000, 'refused at once, without trying to reach the endpoint');
      } finally {
        store.close();
        process.env.AWS_ACCESS_KEY_ID = saved.id;
        process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
        if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
        if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
      }
    },
  );
});
