import { parseArgs } from 'node:util';
import { describeError, DrydockError } from '../core/errors';
import { listVeleroBackups } from '../core/velero';

export const veleroUsage = `Velero:
  velero list <location>       list the backups of a Velero backup storage location: s3://bucket[/prefix] or a folder
                               (phase, time, namespaces, items, errors/warnings and what Velero did not back up)
      --aws-endpoint URL --region R --profile NAME   how to reach S3 (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL,
                                 the profile's endpoint_url, else real S3); credentials the usual AWS way
      --json
  A Velero backup is a recovery point: snapshot inspect|diff, restore and drill take s3://bucket[/prefix]/backups/<name>,
  <folder>/backups/<name>, or a tarball from \`velero backup download\`.
`;

const options = {
  'aws-endpoint': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
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
  if (sub !== 'list' || !location || rest.length) {
    process.stderr.write(`drydock velero: expected "velero list <location>"\n\n${veleroUsage}`);
    return 2;
  }
  try {
    const listing = await listVeleroBackups(location, { endpoint: v['aws-endpoint'], region: v.region, profile: v.profile });
    if (v.json) {
      process.stdout.write(JSON.stringify(listing, null, 2) + '\n');
      return 0;
    }
    const lines = [`${listing.location}: ${listing.backups.length} backup(s)`];
    if (listing.foreignTopLevel.length) lines.push(`  note: ${listing.foreignTopLevel.join(', ')} at the top of the location: Velero marks such a location Unavailable`);
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
