import * as vscode from 'vscode';
import { createAwsClients, type AwsClients, type AwsEndpoint } from '../../core/aws/clients';
import { detectEmulator, type EmulatorInfo } from '../../core/aws/emulator';
import { discoverEndpoints, endpointId, endpointLabel, endpointWriteReason } from '../../core/aws/endpoints';
import { primeHostLocality } from '../../core/guard/local';
import type { Logger } from '../../core/log';
import { afterPendingReplies } from '../afterPendingReplies';

/** One endpoint with its clients and what answers there (detected once per refresh). */
export interface EndpointSession {
  id: string;
  endpoint: AwsEndpoint;
  clients: AwsClients;
  emulator: Promise<EmulatorInfo>;
}

/**
 * The endpoints of the Local AWS view: settings plus `~/.aws/config` profiles. Keeps one set of SDK clients
 * per endpoint; `reset()` (refresh, settings change) drops them and detects emulators again.
 */
export class EndpointRegistry implements vscode.Disposable {
  private sessions = new Map<string, EndpointSession>();
  private listing: Promise<EndpointSession[]> | undefined;

  constructor(private readonly logger: Logger) {}

  list(): Promise<EndpointSession[]> {
    this.listing ??= this.discover();
    return this.listing;
  }

  /** The session for an endpoint id (from a tree node or a virtual document URI). */
  async get(id: string): Promise<EndpointSession | undefined> {
    return (await this.list()).find((s) => s.id === id);
  }

  private async discover(): Promise<EndpointSession[]> {
    const config = vscode.workspace.getConfiguration('drydock.aws');
    const endpoints = await discoverEndpoints(
      {
        endpoints: config.get<string[]>('endpoints', ['http://localhost:4566']),
        region: config.get<string>('region', 'us-east-1') || 'us-east-1',
      },
      { logger: this.logger },
    );
    await primeHostLocality(endpoints.map((e) => e.url)); // the write guard judges host names by their addresses
    // The probes below are the extension host's first network request when this view opens with the others: let
    // the rows Local Clusters has ready go out before the proxy agent's synchronous certificate loading.
    await afterPendingReplies();
    const next = new Map<string, EndpointSession>();
    for (const endpoint of endpoints) {
      const id = endpointId(endpoint);
      const existing = this.sessions.get(id);
      const session = existing ?? {
        id,
        endpoint,
        clients: createAwsClients(endpoint),
        emulator: Promise.resolve({ kind: 'aws-compatible' } as EmulatorInfo),
      };
      session.emulator = detectEmulator(endpoint.url);
      session.emulator.then(
        (info) => this.logger.debug(`AWS endpoint ${endpointLabel(endpoint)}: ${info.kind}`),
        (error: unknown) => this.logger.warn(`AWS endpoint ${endpointLabel(endpoint)}: ${(error as Error).message}`),
      );
      next.set(id, session);
    }
    for (const [id, s] of this.sessions) if (!next.has(id)) s.clients.destroy();
    this.sessions = next;
    return [...next.values()];
  }

  /** Forget detection results and settings; the next `list()` starts over. */
  reset(): void {
    this.listing = undefined;
  }

  /** Why writes to this endpoint are refused right now, or undefined when they are allowed. */
  writeBlockedReason(endpoint: AwsEndpoint): string | undefined {
    if (!vscode.workspace.isTrusted)
      return 'Writes need a trusted workspace. Trust this workspace to send, edit, upload or delete.';
    const allowed = vscode.workspace.getConfiguration('drydock.aws').get<string[]>('writableEndpoints', []);
    if (!endpointWriteReason(endpoint, allowed)) {
      return `${endpoint.url} is not on this machine, so Drydock only reads from it. Add it to the setting drydock.aws.writableEndpoints to allow writes.`;
    }
    return undefined;
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.clients.destroy();
    this.sessions.clear();
  }
}
