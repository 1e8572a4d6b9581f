import type { Readable } from 'node:stream';
import * as tar from 'tar';
import { DrydockError } from '../errors';
import { SnapshotWriter } from '../snapshot/archive/snapshotWriter';
import { isSafeEntryPath, itemPath, parseItemPath, preferredVersionPath, VERSION_PATH } from '../snapshot/layout';
import { newManifest, type CapturedResourceType, type SnapshotManifest } from '../snapshot/manifest';
import { metadataOf, type KubeObject } from '../snapshot/kubeObject';
import { skipReason } from '../snapshot/skipRules';
import { encryptWithRecipient } from '../snapshot/secretCrypto';
import { SnapshotInvalidError } from '../snapshot/snapshotErrors';
import { throwIfAborted } from '../snapshot/progress';
import { VELERO_BACKUP_FORMAT } from './veleroLayout';

/** Group-resources Velero never restores (its restore controller's non-restorable list). */
const NEVER_RESTORED: Record<string, string> = {
  nodes: 'Velero never restores nodes',
  'events.events.k8s.io': 'events are history, not state; they are not restored',
  'backups.velero.io': 'Velero never restores its own backups',
  'restores.velero.io': 'Velero never restores its own restores',
  'resticrepositories.velero.io': 'Velero never restores its repositories',
  'backuprepositories.velero.io': 'Velero never restores its repositories',
  'csinodes.storage.k8s.io': 'Velero never restores CSI nodes',
  'volumeattachments.storage.k8s.io': 'Velero never restores volume attachments',
};

/** One object larger than this is refused (the API server's own limit is ~1.5 MB; etcd's 8 MB). */
const MAX_ITEM_BYTES = 32 * 1024 * 1024;
/** Bytes of items read but not yet written before the reader waits for the writer. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

export interface ImportTarballOptions {
  /** Where the Drydock snapshot (a directory) is written; must not exist. */
  target: string;
  /** Secrets are encrypted to this age recipient (the caller keeps the identity in memory). */
  recipient: string;
  /** That recipient's identity: the manifest is sealed with it (snapshots made with a key carry an authenticator). */
  identity: string;
  toolVersion: string;
  createdAt?: Date;
  /** Fills the manifest's source and adds Velero's own report to its skipped list. */
  describe: (manifest: SnapshotManifest, namespaces: string[]) => void;
  /** Extra entries (Velero's report) written beside the items. */
  extraEntries?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Reads a Velero backup tarball front to back (streamed: one object in memory at a time, bounded) and
 * writes it as a Drydock snapshot directory that the restore engine and the drill read: each object under
 * its Velero path, Secrets encrypted (never plain on disk), Velero's non-restorable and Drydock's skip
 * rules recorded as skipped. Refuses (SnapshotInvalidError, nothing left at `target`) links, absolute or
 * `..` paths, duplicates, truncation, an unknown `metadata/version`, and objects that are not what their
 * path names.
 */
export async function importVeleroTarball(source: Readable, opts: ImportTarballOptions): Promise<SnapshotManifest> {
  const writer = await SnapshotWriter.create(opts.target);
  try {
    const manifest = await fill(source, writer, opts);
    // Sealed with the key, like every snapshot made with one.
    await writer.commit(manifest, { authenticateWith: opts.identity });
    return manifest;
  } catch (error) {
    source.destroy();
    await writer.abort();
    throw error;
  }
}

async function fill(source: Readable, writer: SnapshotWriter, opts: ImportTarballOptions): Promise<SnapshotManifest> {
  const manifest = newManifest(opts.toolVersion, opts.createdAt);
  const types = new Map<string, CapturedResourceType>();
  const namespaces = new Set<string>();
  const seen = new Set<string>();
  const deferredEndpoints: { path: string; obj: KubeObject }[] = [];
  /** Per namespace: the Services that have a selector. */
  const servicesWithSelector = new Map<string, Set<string>>();
  let version: string | undefined;
  let failure: Error | undefined;
  let pendingBytes = 0;
  let chain: Promise<void> = Promise.resolve();

  const refuse = (error: unknown) => {
    failure ??= error instanceof Error ? error : new Error(String(error));
  };

  const writeItem = async (path: string, obj: KubeObject) => {
    const parsed = parseItemPath(path)!;
    const gr = parsed.groupResource;
    const dot = gr.indexOf('.');
    const resource = dot < 0 ? gr : gr.slice(0, dot);
    const group = dot < 0 ? '' : gr.slice(dot + 1);
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    const objVersion = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
    const objGroup = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    if (!objVersion || objGroup !== group || typeof obj.kind !== 'string') {
      throw new SnapshotInvalidError(
        'content',
        `Entry ${path} holds a ${String(obj.kind)} of ${apiVersion || 'no apiVersion'}, not an object of ${gr}.`,
        path,
      );
    }
    const ref = { resource, group, namespace: parsed.namespace, name: parsed.name };
    const reason =
      NEVER_RESTORED[gr] ??
      skipReason(gr, obj, { servicesWithSelector: servicesWithSelector.get(parsed.namespace ?? '') });
    if (reason) {
      manifest.skipped.push({ resource, group, namespace: parsed.namespace, name: parsed.name, reason });
      manifest.counts.skipped++;
      return;
    }
    const isSecret = gr === 'secrets';
    const json = JSON.stringify(obj, null, 2) + '\n';
    const data = isSecret ? encryptWithRecipient(opts.recipient, json) : json;
    await writer.writeEntry([itemPath(ref, isSecret), preferredVersionPath(ref, objVersion, isSecret)], data);
    if (isSecret) manifest.counts.secrets++;
    manifest.counts.items++;
    if (parsed.namespace) namespaces.add(parsed.namespace);
    if (gr === 'namespaces') namespaces.add(parsed.name);
    const type = types.get(gr) ?? {
      group,
      version: objVersion,
      resource,
      kind: obj.kind,
      namespaced: parsed.namespace !== undefined,
      count: 0,
    };
    type.count++;
    types.set(gr, type);
  };

  const onItem = async (path: string, bytes: Buffer) => {
    let obj: KubeObject;
    try {
      obj = JSON.parse(bytes.toString('utf8')) as KubeObject;
    } catch (error) {
      throw new SnapshotInvalidError(
        'content',
        `Entry ${path} of the Velero tarball is not valid JSON (${(error as Error).message}).`,
        path,
        { cause: error },
      );
    }
    const parsed = parseItemPath(path)!;
    const meta = metadataOf(obj);
    if (meta.name !== parsed.name || (meta.namespace ?? undefined) !== parsed.namespace) {
      throw new SnapshotInvalidError(
        'content',
        `Entry ${path} holds ${meta.namespace ?? ''}/${meta.name ?? '?'}, not the object its path names.`,
        path,
      );
    }
    if (
      parsed.groupResource === 'services' &&
      typeof obj.spec === 'object' &&
      obj.spec !== null &&
      (obj.spec as { selector?: unknown }).selector
    ) {
      const names = servicesWithSelector.get(parsed.namespace ?? '') ?? new Set<string>();
      names.add(parsed.name);
      servicesWithSelector.set(parsed.namespace ?? '', names);
    }
    // Whether an Endpoints object belongs to its Service's controller is known once every Service was read.
    if (parsed.groupResource === 'endpoints') deferredEndpoints.push({ path, obj });
    else await writeItem(path, obj);
  };

  const parser = new tar.Parser({
    strict: true,
    onReadEntry: (entry) => {
      const raw = entry.path;
      const path = raw.replace(/\/$/, '');
      if (failure) return entry.resume();
      if (!isSafeEntryPath(path) || raw.startsWith('/')) {
        refuse(
          new SnapshotInvalidError(
            'path',
            `Tarball entry ${JSON.stringify(raw)} would be written outside the backup; refusing the backup.`,
            raw,
          ),
        );
        return entry.resume();
      }
      if (entry.type === 'Directory') return entry.resume();
      if (entry.type !== 'File' && entry.type !== 'OldFile') {
        refuse(
          new SnapshotInvalidError(
            'unexpected-entry',
            `Tarball entry ${path} is a ${entry.type}, not a regular file; refusing the backup.`,
            path,
          ),
        );
        return entry.resume();
      }
      if (seen.has(path)) {
        refuse(
          new SnapshotInvalidError(
            'unexpected-entry',
            `Tarball entry ${path} appears twice; refusing the backup.`,
            path,
          ),
        );
        return entry.resume();
      }
      seen.add(path);
      const wanted = path === VERSION_PATH || parseItemPath(path) !== undefined;
      if (!wanted) return entry.resume();
      if (parseItemPath(path)?.encrypted) {
        refuse(
          new SnapshotInvalidError(
            'content',
            `Tarball entry ${path} is encrypted: Velero backups hold plain JSON.`,
            path,
          ),
        );
        return entry.resume();
      }
      if (entry.size > MAX_ITEM_BYTES) {
        refuse(
          new SnapshotInvalidError(
            'content',
            `Tarball entry ${path} is ${entry.size} bytes; no Kubernetes object is that large.`,
            path,
          ),
        );
        return entry.resume();
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => {
        const bytes = Buffer.concat(chunks);
        if (path === VERSION_PATH) {
          version = bytes.toString('utf8').trim();
          return;
        }
        pendingBytes += bytes.length;
        chain = chain.then(async () => {
          if (failure) return;
          try {
            await onItem(path, bytes);
          } catch (error) {
            refuse(error);
          } finally {
            pendingBytes -= bytes.length;
          }
        });
      });
    },
  });
  const parseError = (error: Error & { code?: string }) => {
    if (SnapshotInvalidError.isInvalid(error)) return refuse(error);
    const truncated = /unexpected end|truncated|TAR_BAD_ARCHIVE|end of file|TAR_ABORT/i.test(
      `${error.code ?? ''} ${error.message}`,
    );
    refuse(
      new SnapshotInvalidError(
        truncated ? 'truncated' : 'not-an-archive',
        truncated
          ? `The Velero tarball is truncated or damaged (${error.message}); refusing it.`
          : `The Velero tarball is not a readable .tar.gz (${error.message}).`,
        undefined,
        { cause: error },
      ),
    );
  };
  // The parse is over at its end, or at the first error (a broken archive may never reach 'end').
  let finished = () => {};
  const ended = new Promise<void>((resolve) => (finished = resolve));
  parser.on('end', () => finished());
  parser.on('error', (e: Error) => (parseError(e), finished()));
  parser.on(
    'warn',
    (code: string, message: string) => (parseError(Object.assign(new Error(message), { code })), finished()),
  );
  for await (const chunk of source) {
    if (opts.signal?.aborted) throw new DrydockError('cancelled', 'Cancelled.');
    parser.write(chunk as Buffer);
    if (failure) break;
    if (pendingBytes > MAX_PENDING_BYTES) await chain;
  }
  if (!failure) {
    parser.end();
    await ended;
  }
  await chain;
  if (failure) throw failure;
  throwIfAborted(opts.signal);
  if (version === undefined)
    throw new SnapshotInvalidError(
      'missing-entry',
      `This is not a Velero backup tarball: ${VERSION_PATH} is missing.`,
      VERSION_PATH,
    );
  if (version !== VELERO_BACKUP_FORMAT) {
    throw new SnapshotInvalidError(
      'schema',
      `Velero tarball format version ${version} is not supported (Drydock reads ${VELERO_BACKUP_FORMAT}).`,
      VERSION_PATH,
    );
  }
  for (const { path, obj } of deferredEndpoints) await writeItem(path, obj);
  manifest.resources = [...types.values()].sort((a, b) =>
    `${a.group}/${a.resource}`.localeCompare(`${b.group}/${b.resource}`),
  );
  if (manifest.counts.secrets > 0) manifest.encryption = { secrets: 'age', recipient: opts.recipient };
  for (const [path, text] of Object.entries(opts.extraEntries ?? {})) await writer.writeEntry(path, text);
  opts.describe(manifest, [...namespaces].sort());
  return manifest;
}
