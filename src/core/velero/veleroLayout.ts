/**
 * The only place that knows paths in a Velero backup storage location (BSL) and its backup folders:
 *   <prefix>/backups/<name>/velero-backup.json        the Backup object (phase, formatVersion 1.1.0)
 *   <prefix>/backups/<name>/<name>.tar.gz              the Kubernetes items (see snapshot/layout.ts)
 *   <prefix>/backups/<name>/<name>-results.gz          {"errors":{…},"warnings":{…}}
 *   <prefix>/backups/<name>/<name>-volumeinfo.json.gz, -podvolumebackups.json.gz, -volumesnapshots.json.gz,
 *                           -itemoperations.json.gz, -resource-list.json.gz, -logs.gz
 */

/** Velero makes a BSL Unavailable when anything else sits at the top of its bucket/prefix. */
export const VELERO_TOP_LEVEL_PREFIXES = ['backups', 'restores', 'restic', 'metadata', 'plugins', 'kopia'] as const;

/** The one tarball format Velero v1.x writes and reads. */
export const VELERO_BACKUP_FORMAT = '1.1.0';

export const veleroFiles = {
  backupJson: (name: string) => `backups/${seg(name)}/velero-backup.json`,
  tarball: (name: string) => `backups/${seg(name)}/${seg(name)}.tar.gz`,
  results: (name: string) => `backups/${seg(name)}/${seg(name)}-results.gz`,
  volumeInfo: (name: string) => `backups/${seg(name)}/${seg(name)}-volumeinfo.json.gz`,
  podVolumeBackups: (name: string) => `backups/${seg(name)}/${seg(name)}-podvolumebackups.json.gz`,
  volumeSnapshots: (name: string) => `backups/${seg(name)}/${seg(name)}-volumesnapshots.json.gz`,
  itemOperations: (name: string) => `backups/${seg(name)}/${seg(name)}-itemoperations.json.gz`,
  resourceList: (name: string) => `backups/${seg(name)}/${seg(name)}-resource-list.json.gz`,
  logs: (name: string) => `backups/${seg(name)}/${seg(name)}-logs.gz`,
};

/** A Kubernetes object name is a DNS subdomain; Velero's backup names are too. */
export function isValidBackupName(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) && name.length <= 253;
}

function seg(name: string): string {
  if (!isValidBackupName(name)) throw new Error(`Invalid Velero backup name ${JSON.stringify(name)}`);
  return name;
}
