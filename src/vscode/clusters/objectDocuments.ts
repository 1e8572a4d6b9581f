import * as vscode from 'vscode';
import { withAbortSignal } from '../cancellation';
import type { ClusterExplorer, ExplorerChange } from '../../core/kube/clusterExplorer';
import { qualifiedResource } from '../../core/kube/discovery';
import { describeError } from '../../core/errors';
import type { Logger } from '../../core/log';
import { objectApiPath } from '../../core/kube/objectAddress';
import { formatEventsTable, listObjectEvents } from '../../core/kube/objectEvents';
import { objectToYaml } from '../../core/kube/objectYaml';
import { OBJECT_SCHEME } from './contextValues';
import { addressOf } from './objectUris';

/**
 * Read-only virtual documents of cluster objects: YAML (`….yaml`) and events (`….events`), fetched
 * fresh on every open or refresh. Secret values stay masked unless the URI carries `reveal=1`.
 */
export class ObjectDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly logger: Logger,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    return withAbortSignal(token, async (signal) => {
      try {
        const { address, reveal } = addressOf(uri);
        const client = this.explorer.client(address.context);
        const obj = await client.request<Record<string, unknown>>('GET', objectApiPath(address), undefined, { signal });
        if (address.view === 'yaml') return objectToYaml(obj, { revealSecrets: reveal });
        const metadata = (obj.metadata ?? {}) as { uid?: string; namespace?: string };
        const events = await listObjectEvents(
          client,
          { uid: metadata.uid ?? '', namespace: metadata.namespace },
          signal,
        );
        const where = address.namespace ? `${address.namespace}/` : '';
        return formatEventsTable(
          `Events of ${String(obj.kind)} ${where}${address.name} (context ${address.context})`,
          events,
        );
      } catch (error) {
        this.logger.error(`Could not load ${uri.path}: ${describeError(error)}`);
        return `# Could not load this object.\n# ${describeError(error).replace(/\n/g, '\n# ')}\n# Run "Drydock: Refresh Document" to try again; details are in the Drydock log.\n`;
      }
    });
  }

  /** Reloads one open document. */
  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  /** Reloads the open documents whose objects the watches saw change. */
  refreshAffected(change: ExplorerChange): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== OBJECT_SCHEME) continue;
      try {
        const { address } = addressOf(doc.uri);
        if (address.context !== change.contextName) continue;
        const resource = qualifiedResource({ group: address.group, resource: address.resource });
        const hit = change.changes.some(
          (c) => c.resource === resource && (c.namespace === undefined || c.namespace === address.namespace),
        );
        if (hit) this.changed.fire(doc.uri);
      } catch {
        // not one of ours
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
