import { accept, isFields, oneOf, optString, refuse, type Parsed } from './validate';

/**
 * What an AWS browser panel keeps across a window reload (the webview's `setState`): which endpoint and which
 * queue, table or object — no data, no secrets. VS Code hands it back to the panel serializer, which reads it as
 * untrusted input (a webview wrote it) with `parseBrowserPanelState`.
 */
export type BrowserPanelState =
  | { kind: 'sqs'; endpointId: string; queueUrl: string }
  | { kind: 'dynamodb'; endpointId: string; table: string }
  | { kind: 's3'; endpointId: string; bucket: string; key: string };

export type BrowserPanelKind = BrowserPanelState['kind'];

/** Sent by the host when a browser panel's webview says it is ready: the state to keep. */
export interface PanelStateMessage {
  type: 'panelState';
  state: BrowserPanelState;
}

const KINDS: readonly BrowserPanelKind[] = ['sqs', 'dynamodb', 's3'];
/** DynamoDB table names: 3–255 of letters, digits, `_`, `-`, `.`. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** S3 bucket names as S3 (and the emulators) accept them: 3–63 of lower-case letters, digits, `.`, `-`. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function queueUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'queueUrl is not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'queueUrl is not an http(s) URL';
  if (parsed.username || parsed.password) return 'queueUrl carries credentials';
  // /<account id>/<queue name>, as SQS, moto and LocalStack write queue URLs
  if (!/^\/\d{1,12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(parsed.pathname))
    return 'queueUrl is not /<account>/<queue name>';
  return undefined;
}

/** Reads a saved panel state; anything not exactly a state of `expected` kind is refused with the reason. */
export function parseBrowserPanelState(raw: unknown, expected?: BrowserPanelKind): Parsed<BrowserPanelState> {
  if (!isFields(raw)) return refuse('no saved state');
  const kind = oneOf(raw.kind, KINDS);
  if (!kind) return refuse(`unknown kind ${JSON.stringify(raw.kind)}`);
  if (expected && kind !== expected) return refuse(`a ${kind} state in a ${expected} panel`);
  const endpointId = optString(raw.endpointId, 2048);
  if (!endpointId) return refuse('endpointId missing or malformed');
  switch (kind) {
    case 'sqs': {
      const queueUrl = optString(raw.queueUrl, 2048);
      if (!queueUrl) return refuse('queueUrl missing or malformed');
      const problem = queueUrlProblem(queueUrl);
      return problem ? refuse(problem) : accept({ kind, endpointId, queueUrl });
    }
    case 'dynamodb': {
      const table = optString(raw.table, 255);
      return table && TABLE_NAME.test(table) ? accept({ kind, endpointId, table }) : refuse('malformed table name');
    }
    case 's3': {
      const bucket = optString(raw.bucket, 63);
      const key = optString(raw.key, 1024);
      if (!bucket || !BUCKET_NAME.test(bucket)) return refuse('malformed bucket name');
      if (!key) return refuse('object key missing or malformed');
      return accept({ kind, endpointId, bucket, key });
    }
  }
}
