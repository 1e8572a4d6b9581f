// Engine level (plain Node): the browser controllers' `ready` → first page posted, against the bare API
// calls that fetch one page of the same size.
import { ChangeMessageVisibilityBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../src/core/aws/clients';
import { scanPage } from '../../src/core/aws/dynamodb';
import type { EmulatorInfo } from '../../src/core/aws/emulator';
import { silentLogger } from '../../src/core/log';
import type { DynamoHostMessage } from '../../src/protocol/dynamoBrowser';
import type { SqsHostMessage } from '../../src/protocol/sqsBrowser';
import type { BrowserUi } from '../../src/vscode/aws/browsers/browserUi';
import { DynamoBrowserController } from '../../src/vscode/aws/browsers/dynamoBrowserController';
import { SqsBrowserController } from '../../src/vscode/aws/browsers/sqsBrowserController';

export const PAGE_SIZE = 50;

/** A UI that never gets asked anything during a first page (no confirmations, no dialogs). */
export const benchUi: BrowserUi = {
  confirm: async () => false,
  pick: async () => undefined,
  saveFile: async () => undefined,
  withProgress: (_title, task) => task(new AbortController().signal, () => {}),
  writeBlockedReason: () => undefined,
};

/** Resolves with the first posted message that matches, or rejects with an `error` message from the host. */
function waitForPost<M extends { type: string }>(): {
  post: (m: M) => void;
  next: (match: (m: M) => boolean) => Promise<M>;
} {
  const seen: M[] = [];
  const waiters: { match: (m: M) => boolean; resolve: (m: M) => void; reject: (e: Error) => void }[] = [];
  const post = (m: M) => {
    seen.push(m);
    for (const w of [...waiters]) {
      if (m.type === 'error') w.reject(new Error(`the controller posted an error: ${JSON.stringify(m)}`));
      else if (w.match(m)) w.resolve(m);
      else continue;
      waiters.splice(waiters.indexOf(w), 1);
    }
  };
  const next = (match: (m: M) => boolean) =>
    new Promise<M>((resolve, reject) => {
      const error = seen.find((m) => m.type === 'error');
      if (error) return reject(new Error(`the controller posted an error: ${JSON.stringify(error)}`));
      const hit = seen.find(match);
      if (hit) return resolve(hit);
      waiters.push({ match, resolve, reject });
    });
  return { post, next };
}

export interface SqsFirstPage {
  messages: number;
  /** ready → `init` posted (the panel can show the queue's facts). */
  initMs: number;
}

/**
 * Opens a queue the way the webview does: `ready`, then — where the emulator cannot peek (moto) — the
 * consent a person gives with one click, sent as soon as the host asks for it; stops at the first posted
 * page of messages. Returns the controller so the caller can release what it received (untimed).
 */
export async function sqsControllerFirstPage(
  aws: AwsClients,
  queueUrl: string,
  emulator: EmulatorInfo,
): Promise<{ page: SqsFirstPage; controller: SqsBrowserController }> {
  const { post, next } = waitForPost<SqsHostMessage>();
  const controller = new SqsBrowserController(aws, queueUrl, emulator, benchUi, post, silentLogger, PAGE_SIZE);
  const started = performance.now();
  const ready = controller.handle({ type: 'ready' });
  const init = await next((m) => m.type === 'init');
  const initMs = performance.now() - started;
  await ready;
  if (init.type === 'init' && init.mode === 'consent-needed') await controller.handle({ type: 'consentReceive' });
  const page = await next((m) => m.type === 'messages' && m.messages.length > 0);
  if (page.type !== 'messages') throw new Error('unreachable');
  return { page: { messages: page.messages.length, initMs }, controller };
}

/** The bare API work for one page: ReceiveMessage (at most 10 a call) until PAGE_SIZE messages, held like the browser holds them. */
export async function sqsBarePage(aws: AwsClients, queueUrl: string): Promise<string[]> {
  const handles = new Map<string, string>();
  while (handles.size < PAGE_SIZE) {
    const res = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, PAGE_SIZE - handles.size),
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (!res.Messages?.length) break;
    for (const m of res.Messages) handles.set(m.MessageId!, m.ReceiptHandle!);
  }
  return [...handles.values()];
}

/** Makes received messages visible again (untimed clean-up between runs). */
export async function releaseHandles(aws: AwsClients, queueUrl: string, handles: string[]): Promise<void> {
  for (let i = 0; i < handles.length; i += 10) {
    await aws.sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: handles.slice(i, i + 10).map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: 0 })),
      }),
    );
  }
}

/** ready → the first `page` of the grid posted. */
export async function dynamoControllerFirstPage(aws: AwsClients, table: string): Promise<number> {
  const { post, next } = waitForPost<DynamoHostMessage>();
  const controller = new DynamoBrowserController(aws, table, benchUi, post, silentLogger, PAGE_SIZE);
  void controller.handle({ type: 'ready' });
  const page = await next((m) => m.type === 'page');
  return page.type === 'page' ? page.items.length : 0;
}

/** The bare API call for one page: one Scan with the same Limit. */
export async function dynamoBarePage(aws: AwsClients, table: string): Promise<number> {
  return (await scanPage(aws.dynamodb, { table, limit: PAGE_SIZE })).items.length;
}
