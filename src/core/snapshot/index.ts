/** The snapshot engine's public API, for the CLI, the VS Code layer and drills. */
export { createSnapshot, type CreateSnapshotOptions, type CreateSnapshotResult } from './createSnapshot';
export {
  restoreSnapshot,
  restorePlanned,
  validateRestorePlan,
  type RestoreSnapshotOptions,
  type RestorePlannedOptions,
} from './restoreSnapshot';
export {
  planRestore,
  plannedRenames,
  renamedBySource,
  type RestorePlan,
  type PlannedAwsResource,
  type PlanRestoreOptions,
} from './restorePlan';
export { inspectSnapshot, listSnapshots, type SnapshotSummary } from './inspectSnapshot';
export { SnapshotReader, type OpenSnapshotOptions } from './archive/snapshotReader';
export { snapshotFormatOf, type SnapshotFormat } from './archive/snapshotWriter';
export { planKubeRestore, itemId, sourceItemId, type PlannedItem } from './kube/restorePlan';
export { itemDiffTexts } from './kube/restoreKube';
export { detectReferencedAwsResources } from './aws/detectReferences';
export { parseNamespaceMap } from './sanitize/namespaceMapping';
export { sanitizeForRestore } from './sanitize';
export { claimStorageClass, standInVolumeFor } from './actions/persistentvolumeclaims';
export { SnapshotInvalidError, type SnapshotProblem } from './snapshotErrors';
export { assertKubeWritable, assertAwsWritable, type WriteAllowList } from './writeGuard';
export type { SnapshotManifest } from './manifest';
export type { RestoreReport, ItemResult, ExistingPolicy } from './restoreResult';
export type { ProgressEvent, ProgressCallback } from './progress';
export type { SecretKeySource } from './secretCrypto';
export type { SqsMessageRecord, SqsQueueRecord } from './aws/sqsSnapshot';
export type { DynamoTableRecord } from './aws/dynamodbSnapshot';
export type { S3BucketRecord, S3ObjectRecord } from './aws/s3Snapshot';
