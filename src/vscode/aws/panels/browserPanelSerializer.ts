import type * as vscode from 'vscode';
import type { EmulatorInfo } from '../../../core/aws/emulator';
import { queueNameFromUrl } from '../../../core/aws/sqs';
import { DrydockError, describeError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import {
  parseBrowserPanelState,
  type BrowserPanelKind,
  type BrowserPanelState,
  type PanelStateMessage,
} from '../../../protocol/panelState';
import { BROWSER_VIEW_TYPES, queuePanelSpec, tablePanelSpec } from '../commands/openBrowsers';
import { imagePanelSpec } from '../commands/s3Objects';
import type { EndpointRegistry } from '../endpointRegistry';
import type { BrowserPanels } from './browserPanel';

export interface BrowserSerializerDeps {
  panels: BrowserPanels;
  registry: EndpointRegistry;
  logger: Logger;
  /** Refreshes the Local AWS tree (after the S3 preview deletes its object). */
  refresh(): void;
}

const BUNDLES: Record<BrowserPanelKind, string> = { sqs: 'sqsBrowser', dynamodb: 'dynamoBrowser', s3: 's3Preview' };

/**
 * Brings an AWS browser panel back after a window reload. The state comes from the webview (`setState`), so it
 * is read as untrusted input: only a well-formed descriptor of this panel's kind naming an endpoint that is still
 * configured reopens the browser. Otherwise — or when nothing answers at the endpoint — the panel says why in
 * its page instead of staying blank.
 */
export class BrowserPanelSerializer implements vscode.WebviewPanelSerializer {
  /** Panels that only say why they were not reopened: each its own key, so the tree opens a working one beside. */
  private unavailableCount = 0;

  constructor(
    private readonly kind: BrowserPanelKind,
    private readonly deps: BrowserSerializerDeps,
  ) {}

  get viewType(): string {
    return BROWSER_VIEW_TYPES[this.kind];
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    const { panels, registry, logger } = this.deps;
    const parsed = parseBrowserPanelState(raw, this.kind);
    if (!parsed.ok) {
      logger.warn(`Restoring a ${this.viewType} panel: its saved state was refused (${parsed.error})`);
      this.unavailable(
        panel,
        undefined,
        `This browser could not be reopened after the reload: what it saved is unusable (${parsed.error}). Open it again from the Local AWS view.`,
      );
      return;
    }
    const state = parsed.value;
    const session = await registry.get(state.endpointId).catch((error: unknown) => {
      logger.warn(`Restoring ${describeState(state)}: the endpoints could not be listed: ${describeError(error)}`);
      return undefined;
    });
    if (!session) {
      this.unavailable(
        panel,
        state,
        `${capitalised(describeState(state))} was not reopened: its endpoint ${endpointUrlOf(state)} is no longer configured (drydock.aws.endpoints, or a profile with endpoint_url in ~/.aws/config). Add it again and reload, or open another one from the Local AWS view.`,
      );
      return;
    }
    let emulator: EmulatorInfo;
    try {
      emulator = await session.emulator; // fails fast with 'unreachable' when nothing answers there
    } catch (error) {
      if (DrydockError.is(error, 'unreachable')) {
        this.unavailable(
          panel,
          state,
          `${capitalised(describeState(state))} was not reopened: ${describeError(error)} Start it and reload the window, or reopen it from the Local AWS view.`,
        );
        return;
      }
      emulator = { kind: 'aws-compatible' }; // detection failed otherwise: the browser reports what goes wrong
    }
    switch (state.kind) {
      case 'sqs':
        panels.revive(panel, queuePanelSpec(session, state.queueUrl, emulator, registry, logger));
        return;
      case 'dynamodb':
        panels.revive(panel, tablePanelSpec(session, state.table, registry, logger));
        return;
      case 's3':
        panels.revive(panel, imagePanelSpec(session, state.bucket, state.key, this.deps));
        return;
    }
  }

  /** The panel's own page with a message instead of the browser (its state kept, so a later reload tries again). */
  private unavailable(panel: vscode.WebviewPanel, state: BrowserPanelState | undefined, message: string): void {
    this.deps.logger.warn(message);
    type Shown = { type: 'error'; message: string } | PanelStateMessage;
    this.deps.panels.revive<Shown>(panel, {
      key: `unavailable|${this.kind}|${++this.unavailableCount}`,
      viewType: this.viewType,
      bundle: BUNDLES[this.kind],
      title: state ? `${titleOf(state)} (not available)` : 'Not available',
      state,
      makeController: (post) => ({
        handle: (raw) => {
          if (typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'ready')
            post({ type: 'error', message });
          return Promise.resolve();
        },
      }),
    });
  }
}

function describeState(state: BrowserPanelState): string {
  switch (state.kind) {
    case 'sqs':
      return `the message browser of queue ${queueNameFromUrl(state.queueUrl)}`;
    case 'dynamodb':
      return `the item browser of table ${state.table}`;
    case 's3':
      return `the preview of s3://${state.bucket}/${state.key}`;
  }
}

function titleOf(state: BrowserPanelState): string {
  switch (state.kind) {
    case 'sqs':
      return `Queue ${queueNameFromUrl(state.queueUrl)}`;
    case 'dynamodb':
      return `Table ${state.table}`;
    case 's3':
      return state.key.split('/').pop() || state.key;
  }
}

/** The URL part of an endpoint id (`<source>|<url>|<region>`), for messages. */
function endpointUrlOf(state: BrowserPanelState): string {
  return state.endpointId.split('|')[1] ?? state.endpointId;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
