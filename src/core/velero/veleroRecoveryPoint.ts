import { createReadStream } from 'node:fs';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DrydockError } from '../errors';
import { SnapshotInvalidError } from '../snapshot/snapshotErrors';
import { generateSnapshotIdentity, recipientOf, type SecretKeySource } from '../snapshot/secretCrypto';
import type { SnapshotManifest } from '../snapshot/manifest';
import { openBackupStore, splitBackupAddress, type BackupStore, type S3LocationOptions } from './backupStore';
import { importVeleroTarball } from './importVeleroTarball';
import {
  assertRestorable,
  parseBackupJson,
  parseReported,
  readGzJson,
  reportedAsSkipped,
  type VeleroBackupInfo,
  type VeleroReported,
} from './veleroBackupInfo';
import { isValidBackupName, veleroFiles } from './veleroLayout';

/** Where Velero's report is kept inside the opened recovery point. */
export const VELERO_REPORT_ENTRY = 'drydock/velero.json';

/** A Velero backup opened as a recovery point the engine reads: a private Drydock snapshot directory. */
export interface OpenedVeleroBackup {
  /** The snapshot directory to hand to restore / inspect / drill. */
  path: string;
  /** Opens its Secrets (encrypted to a key that lives only in this process). */
  keySource: SecretKeySource;
  info: VeleroBackupInfo;
  reported: VeleroReported;
  source: string;
  manifest: SnapshotManifest;
  close(): Promise<void>;
}

export interface OpenVeleroOptions extends S3LocationOptions {
  toolVersion: string;
  signal?: AbortSignal;
}

/** The first bytes of a gzip stream, as the first tar header's name. */
async function firstTarEntryName(file: string): Promise<string | undefined> {
  return new Promise((resolveName) => {
    const gunzip = createGunzip();
    const input = createReadStream(file, { end: 64 * 1024 });
    let buf = Buffer.alloc(0);
    const done = (name: string | undefined) => {
      input.destroy();
      gunzip.destroy();
      resolveName(name);
    };
    gunzip.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= 512) done(buf.subarray(0, 100).toString('utf8').replace(/\0.*$/s, ''));
    });
    gunzip.on('error', () => done(undefined));
    gunzip.on('end', () => done(undefined));
    input.pipe(gunzip);
  });
}

/**
 * True when `source` names a Velero backup rather than a Drydock snapshot: an `s3://…/backups/<name>` URL,
 * a folder holding `velero-backup.json` (or a `<folder>.tar.gz` and no Drydock manifest), or a tarball
 * whose first entry is Velero's `metadata/version` (Velero writes it first; Drydock last).
 */
export async function isVeleroBackup(source: string): Promise<boolean> {
  if (source.startsWith('s3://')) return true;
  const st = await lstat(source).catch(() => undefined);
  if (!st) return false;
  if (st.isDirectory()) {
    if (await lstat(join(source, 'velero-backup.json')).catch(() => undefined)) return true;
    if (await lstat(join(source, 'drydock', 'manifest.json')).catch(() => undefined)) return false;
    return (await lstat(join(source, `${basename(resolve(source))}.tar.gz`)).catch(() => undefined)) !== undefined;
  }
  if (st.isFile() && /\.(tar\.gz|tgz)$/i.test(source)) return (await firstTarEntryName(source)) === 'metadata/version';
  return false;
}

/** Opens one file of a backup folder (local or in a store); undefined when absent. */
type FileOpener = (file: (name: string) => string) => Promise<Readable | undefined>;

/**
 * Opens a Velero backup as a recovery point: a backup folder in a BSL (`s3://bucket/prefix/backups/<name>`
 * or `<folder>/backups/<name>`), any folder holding `velero-backup.json` + `<name>.tar.gz`, or one tarball
 * (`velero backup download` output). Validates before anything is written anywhere: the Backup's phase
 * (Completed or PartiallyFailed), its format version, the tarball's entries (streamed, bounded memory).
 */
export async function openVeleroBackup(source: string, opts: OpenVeleroOptions): Promise<OpenedVeleroBackup> {
  let store: BackupStore | undefined;
  let name: string;
  let openFileOf: FileOpener;
  let info: VeleroBackupInfo;
  let reported: VeleroReported = parseReported({});
  let label = source;
  const st = source.startsWith('s3://') ? undefined : await lstat(source).catch(() => undefined);
  if (!source.startsWith('s3://') && !st) throw new DrydockError('not-found', `No Velero backup at ${source}.`);
  try {
    if (st?.isFile()) {
      name =
        basename(source)
          .replace(/(-data)?\.(tar\.gz|tgz)$/i, '')
          .toLowerCase()
          .replace(/[^a-z0-9.-]/g, '-') || 'velero-backup';
      openFileOf = () => Promise.resolve(createReadStream(source));
      info = {
        name,
        phase: 'unknown (a tarball without its velero-backup.json)',
        includedNamespaces: [],
        excludedNamespaces: [],
        errors: 0,
        warnings: 0,
      };
    } else {
      const split = source.startsWith('s3://') ? splitBackupAddress(source) : undefined;
      if (source.startsWith('s3://')) {
        if (!split)
          throw new DrydockError(
            'invalid-input',
            `${source} does not name a backup: use s3://bucket[/prefix]/backups/<name>.`,
          );
        store = await openBackupStore(split.location, opts);
        name = split.name;
        const s = store;
        openFileOf = (file) => s.open(file(name), opts.signal);
        label = `${store.label}/backups/${name}`;
      } else {
        const dir = resolve(source);
        name = basename(dir);
        if (!isValidBackupName(name))
          throw new DrydockError('invalid-input', `${dir}: "${name}" is not a Velero backup name.`);
        openFileOf = async (file) => {
          const f = join(dir, file(name).split('/').pop()!);
          const fst = await lstat(f).catch(() => undefined);
          if (!fst) return undefined;
          if (!fst.isFile())
            throw new SnapshotInvalidError(
              'unexpected-entry',
              `${f} is not a regular file (links are not followed).`,
              f,
            );
          return createReadStream(f);
        };
      }
      const json = await openFileOf(veleroFiles.backupJson);
      if (!json)
        throw new SnapshotInvalidError(
          'missing-entry',
          `${label} is not a Velero backup: it has no velero-backup.json.`,
          'velero-backup.json',
        );
      info = parseBackupJson(await readAll(json), name);
      assertRestorable(info, name);
      const side = async (file: (n: string) => string) => readGzJson(await openFileOf(file));
      reported = parseReported({
        results: await side(veleroFiles.results),
        volumeInfo: await side(veleroFiles.volumeInfo),
        podVolumeBackups: await side(veleroFiles.podVolumeBackups),
        volumeSnapshots: await side(veleroFiles.volumeSnapshots),
        itemOperations: await side(veleroFiles.itemOperations),
      });
    }
    const tarball = await openFileOf(veleroFiles.tarball);
    if (!tarball)
      throw new SnapshotInvalidError(
        'missing-entry',
        `Velero backup ${label} has no ${name}.tar.gz: its Kubernetes items are missing.`,
        `${name}.tar.gz`,
      );
    const dir = await mkdtemp(join(tmpdir(), 'drydock-velero-'));
    const target = join(dir, name);
    try {
      const identity = await generateSnapshotIdentity();
      const recipient = await recipientOf(identity);
      const created = info.startTimestamp ? new Date(info.startTimestamp) : new Date();
      const manifest = await importVeleroTarball(tarball, {
        target,
        recipient,
        identity,
        toolVersion: opts.toolVersion,
        createdAt: Number.isNaN(created.getTime()) ? new Date() : created,
        extraEntries: { [VELERO_REPORT_ENTRY]: JSON.stringify({ source: label, info, reported }, null, 2) + '\n' },
        describe: (m, namespaces) => {
          const wanted = info.includedNamespaces.filter((n) => n !== '*');
          m.source.kube = {
            context: `velero:${info.storageLocation ?? 'tarball'}`,
            server: label,
            namespaces: wanted.length ? wanted.filter((n) => namespaces.includes(n)) : namespaces,
          };
          const extra = reportedAsSkipped(reported);
          m.skipped.push(...extra);
          m.counts.skipped += extra.length;
        },
        signal: opts.signal,
      });
      return {
        path: target,
        keySource: { identity },
        info,
        reported,
        source: label,
        manifest,
        close: () => rm(dir, { recursive: true, force: true }),
      };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  } finally {
    store?.close();
  }
}

async function readAll(stream: Readable, limit = 16 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += (c as Buffer).length;
    if (size > limit)
      throw new SnapshotInvalidError(
        'content',
        `velero-backup.json is larger than ${limit} bytes; refusing it.`,
        'velero-backup.json',
      );
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
