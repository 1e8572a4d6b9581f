// No `vscode` import: this is the SQS browser host's logic, tested under Node against the real emulator.
import type { EmulatorInfo } from '../../../core/aws/emulator';
import { serviceUrl, type AwsClients } from '../../../core/aws/clients';
import {
  deleteMessage,
  listQueues,
  purgeQueue,
  queueNameFromUrl,
  sendMessage,
  validateOutgoingMessage,
  type MessageAttribute,
  type QueueMessage,
  type QueueSummary,
} from '../../../core/aws/sqs';
import { peekLocalStackMessages } from '../../../core/aws/sqsPeek';
import { deleteMessageById, moveMessages, receiveBrowse, releaseMessages } from '../../../core/aws/sqsReceive';
import { redriveDeadLetters, type RedriveProgress } from '../../../core/aws/sqsMoveTask';
import { DrydockError, describeError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import {
  parseSqsWebviewMessage,
  type BrowseMode,
  type MessageView,
  type QueueView,
  type SqsHostMessage,
  type SqsRequestType,
  type SqsWebviewMessage,
} from '../../../protocol/sqsBrowser';
import type { BrowserUi } from './browserUi';

export const RECEIVE_WARNING =
  "This emulator cannot list messages without receiving them. Receiving raises each message's receive count, hides it from consumers for a moment, and once a redrive policy's maxReceiveCount is passed it moves the message to the dead-letter queue.";

export function toQueueView(q: QueueSummary, all: readonly QueueSummary[]): QueueView {
  const nameOf = (url: string) => all.find((x) => x.url === url)?.name ?? queueNameFromUrl(url);
  return {
    name: q.name,
    url: q.url,
    fifo: q.fifo,
    visible: q.visible,
    inFlight: q.inFlight,
    delayed: q.delayed,
    visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
    retentionSeconds: q.retentionSeconds,
    deadLetterTargetName: q.deadLetterTargetUrl
      ? nameOf(q.deadLetterTargetUrl)
      : q.redrive?.deadLetterTargetArn.split(':').pop(),
    maxReceiveCount: q.redrive?.maxReceiveCount,
    deadLetterSourceNames: q.deadLetterSourceUrls.map(nameOf),
  };
}

export function toMessageView(m: QueueMessage): MessageView {
  const a = m.attributes;
  const n = (v: string | undefined) => (v === undefined || isNaN(Number(v)) ? undefined : Number(v));
  return {
    messageId: m.messageId,
    body: m.body,
    sentAt: n(a.SentTimestamp),
    receiveCount: n(a.ApproximateReceiveCount),
    groupId: a.MessageGroupId,
    deduplicationId: a.MessageDeduplicationId,
    visible: m.visible,
    delayed: m.delayed,
    systemAttributes: { ...a },
    messageAttributes: Object.entries(m.messageAttributes).map(([name, v]) => ({
      name,
      dataType: v.dataType,
      value: v.stringValue ?? v.binaryBase64 ?? '',
    })),
  };
}

export class SqsBrowserController {
  private queue: QueueSummary | undefined;
  private allQueues: QueueSummary[] = [];
  private mode: BrowseMode;
  /** Everything a peek returned (peek mode), shown a page at a time. */
  private peeked: QueueMessage[] = [];
  /** What the webview has been sent, in order. */
  private loaded: QueueMessage[] = [];
  private hasMore = false;
  private disposed = false;

  constructor(
    private readonly clients: AwsClients,
    private readonly queueUrl: string,
    private readonly emulator: EmulatorInfo,
    private readonly ui: BrowserUi,
    private readonly post: (m: SqsHostMessage) => void,
    private readonly logger: Logger,
    private readonly pageSize = 50,
  ) {
    this.mode = emulator.kind === 'localstack' ? 'peek' : 'consent-needed';
  }

  get browseMode(): BrowseMode {
    return this.mode;
  }

  /** Handles one message from the webview. Never throws: failures go to the log and back to the webview. */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseSqsWebviewMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`SQS browser: ignored a malformed message from the webview: ${parsed.error}`);
      this.post({
        type: 'error',
        message: `The browser sent a message the host does not understand (${parsed.error}).`,
      });
      return;
    }
    const msg = parsed.value;
    try {
      await this.dispatch(msg);
    } catch (error) {
      this.fail(msg.type, error);
    }
  }

  private async dispatch(msg: SqsWebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        await this.loadQueue();
        this.post({
          type: 'init',
          queue: toQueueView(this.queue!, this.allQueues),
          mode: this.mode,
          emulator: this.emulator.kind,
          writable: !this.ui.writeBlockedReason(),
          writeBlockedReason: this.ui.writeBlockedReason(),
        });
        await this.firstPage();
        return;
      case 'refresh':
        await this.loadQueue();
        this.post({ type: 'queue', queue: toQueueView(this.queue!, this.allQueues) });
        await this.firstPage();
        return;
      case 'consentReceive':
        if (this.mode === 'consent-needed') this.mode = 'receive';
        this.logger.info(`SQS browser: receiving messages of ${this.queueUrl} (receive counts rise)`);
        await this.firstPage();
        return;
      case 'loadMore':
        await this.nextPage();
        return;
      case 'send':
        return this.send(msg.message);
      case 'delete':
        return this.delete(msg.messageId);
      case 'purge':
        return this.purge();
      case 'redrive':
        return this.redrive();
    }
  }

  private async loadQueue(): Promise<void> {
    this.allQueues = await listQueues(this.clients.sqs);
    const q = this.allQueues.find((x) => x.url === this.queueUrl || x.name === queueNameFromUrl(this.queueUrl));
    if (!q)
      throw new DrydockError(
        'not-found',
        `Queue ${queueNameFromUrl(this.queueUrl)} no longer exists at ${this.clients.endpoint.url}.`,
      );
    this.queue = q;
  }

  private async firstPage(): Promise<void> {
    await this.releaseHeld();
    this.loaded = [];
    if (this.mode === 'consent-needed') {
      this.post({ type: 'messages', messages: [], append: false, hasMore: false, loaded: 0 });
      return;
    }
    this.post({ type: 'busy', label: 'Loading messages…' });
    if (this.mode === 'peek') {
      this.peeked = await peekLocalStackMessages(serviceUrl(this.clients.endpoint, 'sqs'), this.queue!.url);
      this.peeked.sort((a, b) => Number(a.attributes.SentTimestamp ?? 0) - Number(b.attributes.SentTimestamp ?? 0));
    }
    await this.nextPage(false);
  }

  private async nextPage(append = true): Promise<void> {
    let page: QueueMessage[];
    if (this.mode === 'peek') {
      page = this.peeked.slice(this.loaded.length, this.loaded.length + this.pageSize);
      this.hasMore = this.loaded.length + page.length < this.peeked.length;
    } else if (this.mode === 'receive') {
      // Each receive's messages are shown as they come: on an emulator where a receive is slow (moto scans the
      // whole queue each time) the first rows appear after one receive, not after a page of them.
      this.post({ type: 'busy', label: 'Receiving messages…' });
      const known = new Set(this.loaded.map((m) => m.messageId));
      let first = !append;
      let count = 0;
      await receiveBrowse(this.clients.sqs, this.queue!.url, {
        max: this.pageSize,
        holdSeconds: 60,
        onBatch: (batch) => {
          const fresh = batch.filter((m) => !known.has(m.messageId));
          count += fresh.length;
          this.loaded.push(...fresh);
          this.post({
            type: 'messages',
            messages: fresh.map(toMessageView),
            append: !first,
            hasMore: false,
            loaded: this.loaded.length,
          });
          first = false;
          if (count < this.pageSize) this.post({ type: 'busy', label: `Receiving messages… ${count} so far` });
        },
      });
      this.hasMore = count > 0 && count >= this.pageSize;
      this.post({ type: 'messages', messages: [], append: !first, hasMore: this.hasMore, loaded: this.loaded.length });
      return;
    } else {
      return;
    }
    this.loaded.push(...page);
    this.post({
      type: 'messages',
      messages: page.map(toMessageView),
      append,
      hasMore: this.hasMore,
      loaded: this.loaded.length,
    });
  }

  private requireWrite(): void {
    const reason = this.ui.writeBlockedReason();
    if (reason) throw new DrydockError('not-local', reason);
  }

  private async send(form: Extract<SqsWebviewMessage, { type: 'send' }>['message']): Promise<void> {
    this.requireWrite();
    const messageAttributes: Record<string, MessageAttribute> = {};
    for (const a of form.attributes) {
      messageAttributes[a.name] = a.dataType.startsWith('Binary')
        ? { dataType: a.dataType, binaryBase64: a.value }
        : { dataType: a.dataType, stringValue: a.value };
    }
    const outgoing = {
      body: form.body,
      messageAttributes,
      delaySeconds: form.delaySeconds,
      groupId: form.groupId,
      deduplicationId: form.deduplicationId,
    };
    const problems = validateOutgoingMessage(outgoing, this.queue!.fifo);
    if (form.attributes.length !== Object.keys(messageAttributes).length)
      problems.push({ field: 'messageAttributes', message: 'Two attributes have the same name.' });
    if (this.queue!.fifo && !form.deduplicationId && this.queue!.attributes.ContentBasedDeduplication !== 'true') {
      problems.push({
        field: 'deduplicationId',
        message: 'This FIFO queue has no content-based deduplication: give a deduplication id.',
      });
    }
    if (problems.length) {
      this.post({ type: 'error', request: 'send', message: 'The message was not sent.', problems });
      return;
    }
    const id = await sendMessage(this.clients.sqs, this.queue!.url, outgoing);
    this.logger.info(`SQS: sent message ${id} to ${this.queue!.name}`);
    this.post({ type: 'done', request: 'send', message: `Sent message ${id}.` });
    await this.dispatch({ type: 'refresh' });
  }

  private async delete(messageId: string): Promise<void> {
    this.requireWrite();
    const m = this.loaded.find((x) => x.messageId === messageId);
    if (!m) throw new DrydockError('not-found', 'That message is not in the list any more. Refresh and try again.');
    if (m.receiptHandle) await deleteMessage(this.clients.sqs, this.queue!.url, m.receiptHandle);
    else await deleteMessageById(this.clients.sqs, this.queue!.url, messageId);
    this.logger.info(`SQS: deleted message ${messageId} from ${this.queue!.name}`);
    this.loaded = this.loaded.filter((x) => x !== m);
    this.peeked = this.peeked.filter((x) => x.messageId !== messageId);
    this.post({ type: 'done', request: 'delete', message: `Deleted message ${messageId}.` });
    await this.loadQueue();
    this.post({ type: 'queue', queue: toQueueView(this.queue!, this.allQueues) });
    this.post({
      type: 'messages',
      messages: this.loaded.map(toMessageView),
      append: false,
      hasMore: this.hasMore,
      loaded: this.loaded.length,
    });
  }

  private async purge(): Promise<void> {
    this.requireWrite();
    const q = this.queue!;
    const ok = await this.ui.confirm(
      `Purge queue ${q.name}?`,
      `All ${q.visible + q.inFlight + q.delayed} messages (approximately) are deleted. This cannot be undone.`,
      'Purge',
    );
    if (!ok) {
      this.post({ type: 'done', request: 'purge', message: 'Purge cancelled.' });
      return;
    }
    await this.releaseHeld();
    await purgeQueue(this.clients.sqs, q.url);
    this.logger.info(`SQS: purged ${q.name}`);
    this.post({ type: 'done', request: 'purge', message: `Purged ${q.name}.` });
    await this.dispatch({ type: 'refresh' });
  }

  private async redrive(): Promise<void> {
    this.requireWrite();
    const dlq = this.queue!;
    const sources = this.allQueues.filter((q) => dlq.deadLetterSourceUrls.includes(q.url));
    if (sources.length === 0)
      throw new DrydockError(
        'invalid-input',
        `${dlq.name} is not the dead-letter queue of any queue here, so there is nowhere to move its messages back to.`,
      );
    const name =
      sources.length === 1
        ? sources[0]!.name
        : await this.ui.pick(
            'Move messages back to which queue?',
            sources.map((s) => s.name),
          );
    const target = sources.find((s) => s.name === name);
    if (!target) return;
    // SQS's own move task where the emulator has it (LocalStack, AWS); moto has not: receive + send + delete there.
    const moveTask = this.emulator.kind !== 'moto' && dlq.arn !== undefined && target.arn !== undefined;
    const how = moveTask
      ? 'SQS moves them with a message move task (StartMessageMoveTask); consumers of the source queue will process them again.'
      : 'Each message is received, sent to the source queue and then deleted here; consumers of the source queue will process them again.';
    const ok = await this.ui.confirm(`Move messages from ${dlq.name} back to ${target.name}?`, how, 'Move');
    if (!ok) {
      this.post({ type: 'done', request: 'redrive', message: 'Move cancelled.' });
      return;
    }
    await this.releaseHeld();
    const total = dlq.visible;
    let reported = 0;
    const result = await this.ui.withProgress(
      `Moving messages from ${dlq.name} to ${target.name}`,
      (signal, report) => {
        const onProgress = (p: RedriveProgress) => {
          const of = p.toMove ?? total;
          report(
            `${p.moved} of ~${of}${p.status ? ` (${p.status.toLowerCase()})` : ''}`,
            of ? (100 * (p.moved - reported)) / of : undefined,
          );
          reported = p.moved;
        };
        return moveTask
          ? redriveDeadLetters(
              this.clients.sqs,
              { url: dlq.url, arn: dlq.arn! },
              { url: target.url, arn: target.arn },
              { signal, onProgress },
            )
          : moveMessages(this.clients.sqs, dlq.url, target.url, {
              signal,
              onProgress: (p) => onProgress({ mode: 'receive-fallback', moved: p.moved }),
            });
      },
    );
    const via = 'mode' in result && result.mode === 'move-task' ? ' (message move task)' : '';
    const cancelled = 'cancelled' in result && result.cancelled ? ' before the move was cancelled' : '';
    this.logger.info(`SQS: moved ${result.moved} messages from ${dlq.name} to ${target.name}${via}${cancelled}`);
    this.post({
      type: 'done',
      request: 'redrive',
      message: `Moved ${result.moved} messages to ${target.name}${cancelled}.`,
    });
    await this.dispatch({ type: 'refresh' });
  }

  private async releaseHeld(): Promise<void> {
    const handles = this.loaded.map((m) => m.receiptHandle).filter((h): h is string => Boolean(h));
    if (handles.length === 0 || !this.queue) return;
    const failed = await releaseMessages(this.clients.sqs, this.queue.url, handles).catch((error: unknown) => {
      this.logger.warn(
        `SQS: could not make ${handles.length} received messages visible again: ${describeError(error)}`,
      );
      return 0;
    });
    if (failed) this.logger.debug(`SQS: ${failed} received messages were already gone or visible`);
    for (const m of this.loaded) m.receiptHandle = undefined;
  }

  private fail(request: SqsRequestType, error: unknown): void {
    const message = describeError(error);
    this.logger.error(`SQS browser (${this.queueUrl}) ${request} failed: ${message}`);
    this.post({ type: 'error', request, message });
  }

  /** Gives back received messages when the panel closes. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.releaseHeld();
  }
}
