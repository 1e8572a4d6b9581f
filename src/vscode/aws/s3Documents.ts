import * as vscode from 'vscode';
import { withAbortSignal } from '../cancellation';
import { getObjectBytes, looksLikeText } from '../../core/aws/s3';
import { DrydockError } from '../../core/errors';
import { parseLosslessJson, stringifyLosslessJson } from '../../core/aws/losslessJson';
import type { Logger } from '../../core/log';
import type { EndpointRegistry } from './endpointRegistry';

export const S3_SCHEME = 'drydock-s3';
/** Objects larger than this do not open as text (download them instead). */
export const MAX_TEXT_BYTES = 10 * 1024 * 1024;

/** `drydock-s3:/<bucket>/<key>?<endpoint id>`: the path keeps the key's extension, so the editor picks the language. */
export function s3DocumentUri(endpointId: string, bucket: string, key: string): vscode.Uri {
  return vscode.Uri.from({ scheme: S3_SCHEME, path: `/${bucket}/${key}`, query: endpointId });
}

export function parseS3DocumentUri(uri: vscode.Uri): { endpointId: string; bucket: string; key: string } {
  const [, bucket, ...rest] = uri.path.split('/');
  return { endpointId: uri.query, bucket: bucket ?? '', key: rest.join('/') };
}

/** Read-only text of S3 objects. JSON is pretty-printed. Refreshable through `refresh(uri)`. */
export class S3DocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly registry: EndpointRegistry,
    private readonly logger: Logger,
  ) {}

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const { endpointId, bucket, key } = parseS3DocumentUri(uri);
    const session = await this.registry.get(endpointId);
    if (!session) throw new DrydockError('not-found', `The endpoint of s3://${bucket}/${key} is no longer configured.`);
    try {
      const { bytes } = await withAbortSignal(token, (signal) =>
        getObjectBytes(session.clients.s3, bucket, key, MAX_TEXT_BYTES, signal),
      );
      if (!looksLikeText(bytes))
        throw new DrydockError('unsupported', `s3://${bucket}/${key} is not text. Download it instead.`);
      const text = bytes.toString('utf8');
      if (/\.json$/i.test(key)) {
        try {
          return stringifyLosslessJson(parseLosslessJson(text), 2) + '\n'; // numbers keep every digit
        } catch {
          return text; // not valid JSON after all: show it as it is
        }
      }
      return text;
    } catch (error) {
      this.logger.error(`S3: could not open s3://${bucket}/${key}: ${(error as Error).message}`);
      throw error;
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
