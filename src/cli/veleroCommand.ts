import { parseArgs } from 'node:util';
import { describeError, DrydockError } from '../core/errors';
import { listVeleroBackups, openBackupStore, pullSnapshot, pushSnapshot } from '../core/velero';
import { secretKeyFromEnv } from './secretKeyFromEnv';

export const veleroUsage = `Velero:
  velero list <location>       list the backups of a Velero backup storage location: s3://bucket[/prefix] or a folder
                               (phase, time, namespaces, items, errors/warnings and what Velero did not back up)
      --aws-endpoint URL --region R --profile NAME   how to reach S3 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL,
                                 the profile's endpoint_url, else real S3); credentials the usual AWS way
      --json
  snapshot push <snapshot> <location> [--name N]   publish a Drydock snapshot as Velero backup N (default: the
                               snapshot's name) so Velero lists and restores it; Drydock's whole recovery point (AWS part,
                               encrypted Secrets) travels beside it under backups/N/. Velero cannot read encrypted Secrets:
                               they are left out of Velero's view unless --plain-secrets (then in plain text in the bucket;
                               needs the snapshot's key). Writes only to local endpoints unless --allow-endpoint URL.
  snapshot pull <location> <name> <target.tar.gz>   download a recovery point Drydock pushed
  A Velero backup is a recovery point: snapshot inspect|diff, restore and drill take s3://bucket[/prefix]/backups/<name>,
  <folder>/backups/<name>, or a tarball from \`velero backup download\`.
`;

const options = {
  'aws-endpoint': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  name: { type: 'string' },
  'plain-secrets': { type: 'boolean' },
  'allow-endpoint': { type: 'string', multiple: true },
} as const;

/** `drydock velero list <location>`; returns the exit code. */
export async function runVeleroCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`drydock velero: ${(error as Error).message}\n\n${veleroUsage}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const [sub, location, ...rest] = positionals;
  if (sub === 'push' || sub === 'pull') return pushOrPull(sub, positionals.slice(1), v);
  if (sub !== 'list' || !location || rest.length) {
    process.stderr.write(`drydock velero: expected "velero list <location>"\n\n${veleroUsage}`);
    return 2;
  }
  try {
    const listing = await listVeleroBackups(location, {
      endpoint: v['aws-endpoint'],
      region: v.region,
      profile: v.profile,
    });
    if (v.json) {
      process.stdout.write(JSON.stringify(listing, null, 2) + '\n');
      return 0;
    }
    const lines = [`${listing.location}: ${listing.backups.length} backup(s)`];
    if (listing.foreignTopLevel.length)
      lines.push(
        `  note: ${listing.foreignTopLevel.join(', ')} at the top of the location: Velero marks such a location Unavailable`,
      );
    for (const b of listing.backups) {
      const i = b.info;
      const r = b.reported;
      lines.push(
        `${b.name.padEnd(24)} ${(i?.phase || '?').padEnd(16)} ${i?.startTimestamp ?? '?'}  ns ${i?.includedNamespaces.length ? i.includedNamespaces.join(',') : '*'}  items ${i?.itemsBackedUp ?? '?'}/${i?.totalItems ?? '?'}` +
          `  errors ${r?.errors ?? '?'} warnings ${r?.warnings ?? '?'}` +
          (r?.skippedVolumes ? `  volumes not backed up ${r.skippedVolumes}` : '') +
          (r?.podVolumeBackups ? `  fs-backups ${r.podVolumeBackups}` : '') +
          (r?.volumeSnapshots ? `  volume snapshots ${r.volumeSnapshots}` : '') +
          (b.drydock ? '  (pushed by Drydock)' : '') +
          (b.problem ? `  PROBLEM: ${b.problem}` : ''),
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  } catch (error) {
    process.stderr.write(`drydock velero: ${describeError(error)}\n`);
    return DrydockError.is(error, 'not-found') ? 4 : 1;
  }
}

type Values = {
  'aws-endpoint'?: string;
  region?: string;
  profile?: string;
  json?: boolean;
  name?: string;
  'plain-secrets'?: boolean;
  'allow-endpoint'?: string[];
};

/** `snapshot push <snapshot> <location> [--name N]` and `snapshot pull <location> <name> <target>`. */
async function pushOrPull(sub: 'push' | 'pull', args: string[], v: Values): Promise<number> {
  const expected = sub === 'push' ? 2 : 3;
  if (args.length !== expected) {
    process.stderr.write(
      `drydock snapshot ${sub}: expected ${sub === 'push' ? '<snapshot> <location>' : '<location> <name> <target.tar.gz>'}\n\n${veleroUsage}`,
    );
    return 2;
  }
  const location = sub === 'push' ? args[1]! : args[0]!;
  try {
    const store = await openBackupStore(location, {
      endpoint: v['aws-endpoint'],
      region: v.region,
      profile: v.profile,
    });
    try {
      if (sub === 'pull') {
        await pullSnapshot(store, args[1]!, args[2]!);
        process.stdout.write(
          v.json ? JSON.stringify({ path: args[2] }) + '\n' : `Pulled ${args[1]} from ${store.label} to ${args[2]}.\n`,
        );
        return 0;
      }
      const snapshot = args[0]!;
      const name =
        v.name ??
        snapshot
          .replace(/\/+$/, '')
          .split('/')
          .pop()!
          .replace(/\.(tar\.gz|tgz)$/i, '')
          .toLowerCase();
      const r = await pushSnapshot({
        snapshot,
        store,
        name,
        plainSecrets: v['plain-secrets'],
        keySource: v['plain-secrets'] ? await secretKeyFromEnv() : undefined,
        allow: { awsEndpoints: v['allow-endpoint'] },
      });
      process.stdout.write(
        v.json
          ? JSON.stringify(r, null, 2) + '\n'
          : `Pushed ${snapshot} as Velero backup ${r.name} to ${r.location}: ${r.items} objects for Velero` +
              (r.secretsLeftOut.length
                ? `; ${r.secretsLeftOut.length} encrypted Secret(s) left out of Velero's view (kept, encrypted, in Drydock's copy; --plain-secrets to include them)`
                : '') +
              `. Velero lists it after its next backup sync (about a minute).\n`,
      );
      return 0;
    } finally {
      store.close();
    }
  } catch (error) {
    process.stderr.write(`drydock snapshot ${sub}: ${describeError(error)}\n`);
    return DrydockError.is(error, 'not-local') ? 5 : DrydockError.is(error, 'corrupt-snapshot') ? 4 : 1;
  }
}
