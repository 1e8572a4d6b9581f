/** The drill engine's public API, for the CLI and the VS Code layer. Never imports vscode. */
export { runDrill, drillsDirOf, type RunDrillOptions, type DrillHooks, type DrillProgressEvent } from './runDrill';
export { snapshotAndDrill, type SnapshotAndDrillOptions } from './snapshotAndDrill';
export { readDrillHistory, appendDrillHistory, type DrillHistoryEntry } from './drillHistory';
export { parseDrillFile, type DrillFile, type UserCheck, type JsonPathAssertion } from './drillFile';
export { renderDrillMarkdown, formatMs } from './reportMarkdown';
export { cleanupLeftovers } from './leftoverCleanup';
export { DrillRuns } from './drillRuns';
export {
  PHASE_LABELS,
  RECOVERY_PHASES,
  INFORMATIONAL_GAPS,
  isFailingGap,
  type DrillReport,
  type DrillCheck,
  type DrillGap,
  type GapKind,
  type DrillPhase,
  type DrillStatus,
  type PhaseTiming,
  type CheckCategory,
} from './drillReport';
export { DRILL_LABEL, scratchNamespaceName, awsDrillPrefix, newRunId } from './scratchNames';
