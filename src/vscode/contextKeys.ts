import * as vscode from 'vscode';

/**
 * Context keys Drydock sets for `when` clauses in package.json: the welcome content of empty views
 * (`viewsWelcome`) and the walkthrough's completion events (`onContext:`). Names and values match package.json.
 */
export const ContextKey = {
  /** Local Clusters: `noKubeconfig` (no kubeconfig or no contexts), `noLocalContext`, `ready`. */
  clustersState: 'drydock.clusters.state',
  /** Local AWS: `noEndpoints`, `unreachable` (no endpoint answers), `ready`. */
  awsState: 'drydock.aws.state',
  /** Snapshots: `empty` or `ready`. */
  snapshotsState: 'drydock.snapshots.state',
  /** Walkthrough: a local context's namespaces were listed. */
  sawCluster: 'drydock.walkthrough.sawCluster',
  /** Walkthrough: a queue's message browser was opened. */
  browsedQueue: 'drydock.walkthrough.browsedQueue',
  /** Walkthrough: a snapshot was written. */
  tookSnapshot: 'drydock.walkthrough.tookSnapshot',
  /** Walkthrough: a drill finished (passed or not). */
  ranDrill: 'drydock.walkthrough.ranDrill',
  /** Walkthrough: the pre-push drill hook was installed. */
  installedHook: 'drydock.walkthrough.installedHook',
} as const;

export type ClustersState = 'noKubeconfig' | 'noLocalContext' | 'ready';
export type AwsState = 'noEndpoints' | 'unreachable' | 'ready';
export type SnapshotsState = 'empty' | 'ready';

const current = new Map<string, unknown>();

/** Sets a context key (only when its value changes: each set is a round trip to the workbench). */
export function setContextKey(key: (typeof ContextKey)[keyof typeof ContextKey], value: string | boolean): void {
  if (current.get(key) === value) return;
  current.set(key, value);
  void vscode.commands.executeCommand('setContext', key, value);
}
