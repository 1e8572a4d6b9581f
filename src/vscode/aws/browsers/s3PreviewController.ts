// No `vscode` import: the S3 image preview host's logic, tested under Node against the real emulator.
import type { AwsClients } from '../../../core/aws/clients';
import { deleteObject, downloadObject, getObjectBytes } from '../../../core/aws/s3';
import { DrydockError, describeError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import {
  PREVIEWABLE_IMAGE_TYPES,
  parseS3PreviewWebviewMessage,
  type S3PreviewHostMessage,
} from '../../../protocol/s3Preview';
import type { BrowserUi } from './browserUi';

/** Images larger than this are not previewed (download them instead). */
export const MAX_PREVIEW_BYTES = 20 * 1024 * 1024;

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  ico: 'image/x-icon',
};

export function imageContentType(key: string, contentType: string | undefined): string | undefined {
  const ct = contentType?.split(';')[0]?.trim().toLowerCase();
  if (ct && PREVIEWABLE_IMAGE_TYPES.includes(ct)) return ct;
  return BY_EXTENSION[key.split('.').pop()?.toLowerCase() ?? ''];
}

export class S3PreviewController {
  constructor(
    private readonly clients: AwsClients,
    private readonly bucket: string,
    private readonly key: string,
    private readonly ui: BrowserUi,
    private readonly post: (m: S3PreviewHostMessage) => void,
    private readonly logger: Logger,
    private readonly onDeleted: () => void = () => {},
  ) {}

  async handle(raw: unknown): Promise<void> {
    const parsed = parseS3PreviewWebviewMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`S3 preview: ignored a malformed message from the webview: ${parsed.error}`);
      return;
    }
    try {
      switch (parsed.value.type) {
        case 'ready': {
          const { bytes, contentType } = await getObjectBytes(
            this.clients.s3,
            this.bucket,
            this.key,
            MAX_PREVIEW_BYTES,
          );
          const type = imageContentType(this.key, contentType);
          if (!type)
            throw new DrydockError(
              'unsupported',
              `s3://${this.bucket}/${this.key} is ${contentType ?? 'of unknown type'}, not an image this preview shows. Download it instead.`,
            );
          this.post({
            type: 'image',
            bucket: this.bucket,
            key: this.key,
            contentType: type,
            size: bytes.length,
            base64: bytes.toString('base64'),
            writable: !this.ui.writeBlockedReason(),
          });
          return;
        }
        case 'download': {
          const file = await this.ui.saveFile(this.key.split('/').pop() || 'object');
          if (!file) return;
          await this.ui.withProgress(`Downloading ${this.key}`, (signal) =>
            downloadObject(this.clients.s3, this.bucket, this.key, file, signal),
          );
          this.logger.info(`S3: downloaded s3://${this.bucket}/${this.key} to ${file}`);
          this.post({ type: 'done', message: `Downloaded to ${file}.` });
          return;
        }
        case 'delete': {
          const reason = this.ui.writeBlockedReason();
          if (reason) throw new DrydockError('not-local', reason);
          if (!(await this.ui.confirm(`Delete s3://${this.bucket}/${this.key}?`, 'This cannot be undone.', 'Delete'))) {
            this.post({ type: 'done', message: 'Delete cancelled.' });
            return;
          }
          await deleteObject(this.clients.s3, this.bucket, this.key);
          this.logger.info(`S3: deleted s3://${this.bucket}/${this.key}`);
          this.post({ type: 'done', message: `Deleted s3://${this.bucket}/${this.key}.`, deleted: true });
          this.onDeleted();
          return;
        }
      }
    } catch (error) {
      const message = describeError(error);
      this.logger.error(`S3 preview of s3://${this.bucket}/${this.key}: ${message}`);
      this.post({ type: 'error', message });
    }
  }
}
