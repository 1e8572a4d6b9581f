/** Velero interop: Velero backups as recovery points, listing backup storage locations. */
export { openBackupStore, splitBackupAddress, type BackupStore, type S3LocationOptions } from './backupStore';
export { listVeleroBackups, type VeleroBackupListing, type VeleroLocationListing } from './listVeleroBackups';
export {
  isVeleroBackup,
  openVeleroBackup,
  VELERO_REPORT_ENTRY,
  type OpenedVeleroBackup,
  type OpenVeleroOptions,
} from './veleroRecoveryPoint';
export type { VeleroBackupInfo, VeleroReported } from './veleroBackupInfo';
export { VELERO_BACKUP_FORMAT, VELERO_TOP_LEVEL_PREFIXES, isValidBackupName, veleroFiles } from './veleroLayout';
export { resolveRecoveryPoint, describeVeleroBackup, type ResolvedRecoveryPoint } from './recoveryPointSource';
export { pushSnapshot, pullSnapshot, DRYDOCK_SNAPSHOT_FILE, type PushOptions, type PushResult } from './pushSnapshot';
