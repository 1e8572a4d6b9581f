import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { DrydockError } from '../errors';
import { SnapshotReader } from '../snapshot/archive/snapshotReader';
import { parseItemPath, preferredVersionPath, VERSION_PATH } from '../snapshot/layout';
import { metadataOf } from '../snapshot/kubeObject';
import type { SecretKeySource } from '../snapshot/secretCrypto';
import type { WriteAllowList } from '../snapshot/writeGuard';
import type { BackupStore } from './backupStore';
import { VeleroTarWriter } from './veleroTarWriter';
import { isValidBackupName, VELERO_BACKUP_FORMAT, veleroFiles } from './veleroLayout';

/** Drydock's own copy of the recovery point inside the backup folder (Velero ignores files it does not know). */
export const DRYDOCK_SNAPSHOT_FILE = (name: string) => `backups/${name}/drydock-snapshot.tar.gz`;
export const DRYDOCK_MANIFEST_FILE = (name: string) => `backups/${name}/drydock-manifest.json`;

export interface PushOptions {
  /** A Drydock snapshot (directory or .tar.gz). */
  snapshot: string;
  store: BackupStore;
  name: string;
  /** Give Velero the Secrets in plain text (it cannot read age). Off: Secrets are left out of Velero's view. */
  plainSecrets?: boolean;
  /** Opens the snapshot's Secrets (needed with plainSecrets). */
  keySource?: SecretKeySource;
  allow?: WriteAllowList;
  signal?: AbortSignal;
}

export interface PushResult {
  location: string;
  name: string;
  items: number;
  /** Secrets not given to Velero (encrypted in Drydock's copy only). */
  secretsLeftOut: string[];
  /** Bytes of Velero's tarball and of Drydock's full copy. */
  bytes: { velero: number; drydock: number };
}

/**
 * Publishes a Drydock recovery point into a Velero backup storage location as backup `<name>`, so that
 * `velero backup get` lists it after Velero's sync and `velero restore create --from-backup <name>` restores
 * its Kubernetes part, with a non-root Velero server:
 *   backups/<name>/<name>.tar.gz          Velero's view: metadata/version + every item (and its preferred-version
 *                                         copy), 0755 directory entries and files
 *   backups/<name>/velero-backup.json     a velero.io/v1 Backup, phase Completed, formatVersion 1.1.0
 *   backups/<name>/<name>-results.gz      warnings Velero shows in `backup describe` (e.g. Secrets left out)
 *   backups/<name>/drydock-snapshot.tar.gz + drydock-manifest.json   the whole recovery point (AWS part,
 *                                         encrypted Secrets) for Drydock; nothing outside backups/.
 * Secrets: Velero cannot read age-encrypted items, so they are left out of Velero's view unless
 * `plainSecrets` (then decrypted into Velero's tarball: plain text in the bucket, an explicit opt-in).
 * Everything is validated and the tarball built before the first write; velero-backup.json goes last, so
 * Velero never adopts a half-written backup. Writes are refused by the local-only guard unless allowed.
 */
export async function pushSnapshot(opts: PushOptions): Promise<PushResult> {
  const { store, name } = opts;
  if (!isValidBackupName(name))
    throw new DrydockError(
      'invalid-input',
      `"${name}" is not a valid Velero backup name (lower-case letters, digits, "-" and ".").`,
    );
  store.assertWritable(opts.allow);
  const existing = await store.open(veleroFiles.backupJson(name), opts.signal);
  if (existing) {
    existing.destroy();
    throw new DrydockError('conflict', `${store.label} already has a backup named ${name}; choose another --name.`);
  }
  const reader = await SnapshotReader.open(opts.snapshot, {
    keySource: opts.keySource,
    requireSecrets: opts.plainSecrets,
    signal: opts.signal,
  });
  const work = await mkdtemp(join(tmpdir(), 'drydock-push-'));
  try {
    const m = reader.manifest;
    const started = new Date(m.createdAt);
    const tarFile = join(work, `${name}.tar.gz`);
    const writer = new VeleroTarWriter(tarFile, started);
    const secretsLeftOut: string[] = [];
    let items = 0;
    try {
      await writer.add(VERSION_PATH, Buffer.from(`${VELERO_BACKUP_FORMAT}\n`));
      const versions = new Map(m.resources.map((r) => [r.group ? `${r.resource}.${r.group}` : r.resource, r.version]));
      for (const path of reader.entryPaths().sort()) {
        const parsed = parseItemPath(path);
        if (!parsed) continue;
        const ref = {
          resource: parsed.groupResource.split('.')[0]!,
          group: parsed.groupResource.split('.').slice(1).join('.'),
          namespace: parsed.namespace,
          name: parsed.name,
        };
        const plainPath = path.replace(/\.age$/, '');
        if (parsed.encrypted && !opts.plainSecrets) {
          secretsLeftOut.push(`${parsed.namespace ?? ''}/${parsed.name}`);
          continue;
        }
        const obj = await reader.readItem(path);
        if (metadataOf(obj).name !== parsed.name)
          throw new DrydockError('corrupt-snapshot', `Entry ${path} does not hold the object its path names.`);
        const bytes = Buffer.from(JSON.stringify(obj));
        const version = versions.get(parsed.groupResource) ?? String(obj.apiVersion).split('/').pop()!;
        await writer.add(plainPath, bytes);
        await writer.add(preferredVersionPath(ref, version), bytes);
        items++;
      }
      await writer.finish();
    } catch (error) {
      writer.destroy();
      throw error;
    }
    // Drydock's own full copy: the snapshot as it is (a directory is packed into one .tar.gz).
    let drydockFile = opts.snapshot;
    if ((await stat(opts.snapshot)).isDirectory()) {
      drydockFile = join(work, 'drydock-snapshot.tar.gz');
      await tar.c({ gzip: true, file: drydockFile, cwd: opts.snapshot, portable: true }, await readdir(opts.snapshot));
    }
    const namespaces = m.source.kube?.namespaces ?? [];
    const expiration = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const backupJson = {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name, namespace: 'velero', annotations: { 'drydock.dev/pushed-by': `drydock ${m.tool.version}` } },
      spec: {
        includedNamespaces: namespaces,
        ttl: '720h0m0s',
        storageLocation: 'default',
        defaultVolumesToFsBackup: false,
        snapshotVolumes: false,
      },
      status: {
        version: 1,
        formatVersion: VELERO_BACKUP_FORMAT,
        phase: 'Completed',
        startTimestamp: started.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        completionTimestamp: started.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        expiration: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        progress: { totalItems: items, itemsBackedUp: items },
        warnings: secretsLeftOut.length ? 1 : 0,
      },
    };
    const results = {
      errors: {},
      warnings: secretsLeftOut.length
        ? {
            velero: [
              `Drydock left ${secretsLeftOut.length} encrypted Secret(s) out of this backup (${secretsLeftOut.join(', ')}): push with --plain-secrets to include them in plain text`,
            ],
          }
        : {},
    };
    const tarSize = (await stat(tarFile)).size;
    const drySize = (await stat(drydockFile)).size;
    await store.put(veleroFiles.tarball(name), () => createReadStream(tarFile), tarSize, opts.signal);
    await store.put(DRYDOCK_SNAPSHOT_FILE(name), () => createReadStream(drydockFile), drySize, opts.signal);
    const manifestBytes = Buffer.from(JSON.stringify({ ...m, entries: undefined }, null, 2));
    await store.put(DRYDOCK_MANIFEST_FILE(name), manifestBytes, manifestBytes.length, opts.signal);
    const resultsBytes = gzipSync(JSON.stringify(results));
    await store.put(veleroFiles.results(name), resultsBytes, resultsBytes.length, opts.signal);
    // Last: Velero adopts a backup once velero-backup.json is there.
    const jsonBytes = Buffer.from(JSON.stringify(backupJson, null, 2));
    await store.put(veleroFiles.backupJson(name), jsonBytes, jsonBytes.length, opts.signal);
    return { location: store.label, name, items, secretsLeftOut, bytes: { velero: tarSize, drydock: drySize } };
  } finally {
    await reader.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** Downloads the Drydock recovery point pushed as `<name>` into `target` (a .tar.gz file that must not exist). */
export async function pullSnapshot(
  store: BackupStore,
  name: string,
  target: string,
  signal?: AbortSignal,
): Promise<void> {
  if (!isValidBackupName(name)) throw new DrydockError('invalid-input', `"${name}" is not a valid Velero backup name.`);
  if (existsSync(target)) throw new DrydockError('conflict', `${target} already exists.`);
  const body = await store.open(DRYDOCK_SNAPSHOT_FILE(name), signal);
  if (!body) {
    throw new DrydockError(
      'not-found',
      `${store.label} has no Drydock recovery point "${name}" (a backup Velero made is used in place: give s3://…/backups/${name} or the folder to inspect, restore or drill).`,
    );
  }
  const partial = `${target}.partial`;
  try {
    await pipeline(body, createWriteStream(partial, { flags: 'wx', mode: 0o600 }), { signal });
    // Validate before it takes the target's name: a damaged download is never left looking like a snapshot.
    const reader = await SnapshotReader.open(partial, { signal });
    await reader.close();
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
