import type { PanelStateMessage } from './panelState';
import type { HostReply } from './requests';
import { accept, isFields, oneOf, refuse, type Parsed } from './validate';

/** Messages between the S3 image preview webview and its host. */

export type S3PreviewHostMessage =
  | { type: 'image'; bucket: string; key: string; contentType: string; size: number; base64: string; writable: boolean }
  | { type: 'done'; message: string; deleted?: boolean }
  | { type: 'error'; message: string }
  | PanelStateMessage;

/** A host message as the webview receives it: replies carry the id of the request they answer. */
export type S3PreviewHostReply = HostReply<S3PreviewHostMessage>;

export type S3PreviewWebviewMessage = { type: 'ready' } | { type: 'download' } | { type: 'delete' };

export function parseS3PreviewWebviewMessage(raw: unknown): Parsed<S3PreviewWebviewMessage> {
  if (!isFields(raw)) return refuse('not an object');
  const type = oneOf(raw.type, ['ready', 'download', 'delete'] as const);
  return type ? accept({ type }) : refuse(`unknown message type ${JSON.stringify(raw.type)}`);
}

/** Image types the preview shows (an <img> from a blob: URL; SVG in <img> runs no script). */
export const PREVIEWABLE_IMAGE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/svg+xml',
  'image/x-icon',
];
