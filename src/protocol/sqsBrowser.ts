import type { PanelStateMessage } from './panelState';
import type { HostReply } from './requests';
import { accept, isFields, oneOf, optInt, optString, refuse, type Parsed } from './validate';

/** Messages between the SQS message browser webview and its host. */

export interface QueueView {
  name: string;
  url: string;
  fifo: boolean;
  visible: number;
  inFlight: number;
  delayed: number;
  visibilityTimeoutSeconds?: number;
  retentionSeconds?: number;
  deadLetterTargetName?: string;
  maxReceiveCount?: number;
  /** Names of the queues this one is the dead-letter queue of. */
  deadLetterSourceNames: string[];
}

export interface MessageAttributeView {
  name: string;
  dataType: string;
  value: string;
}

export interface MessageView {
  messageId: string;
  body: string;
  /** Epoch milliseconds, when known. */
  sentAt?: number;
  receiveCount?: number;
  groupId?: string;
  deduplicationId?: string;
  /** Only from a side-effect-free peek. */
  visible?: boolean;
  delayed?: boolean;
  systemAttributes: Record<string, string>;
  messageAttributes: MessageAttributeView[];
}

/**
 * How messages are listed: `peek` changes nothing (LocalStack); `receive` raises receive counts and may move
 * messages to the dead-letter queue; `consent-needed` waits for the person to accept that.
 */
export type BrowseMode = 'peek' | 'receive' | 'consent-needed';

export type SqsHostMessage =
  | {
      type: 'init';
      queue: QueueView;
      mode: BrowseMode;
      emulator: string;
      writable: boolean;
      writeBlockedReason?: string;
    }
  | { type: 'queue'; queue: QueueView }
  | { type: 'messages'; messages: MessageView[]; append: boolean; hasMore: boolean; loaded: number }
  | { type: 'busy'; label?: string }
  | { type: 'done'; request: SqsRequestType; message: string }
  | { type: 'error'; request?: SqsRequestType; message: string; problems?: { field: string; message: string }[] }
  | PanelStateMessage;

/** A host message as the webview receives it: replies carry the id of the request they answer. */
export type SqsHostReply = HostReply<SqsHostMessage>;

export interface OutgoingMessageForm {
  body: string;
  attributes: MessageAttributeView[];
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
}

export type SqsWebviewMessage =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'loadMore' }
  | { type: 'consentReceive' }
  | { type: 'send'; message: OutgoingMessageForm }
  | { type: 'delete'; messageId: string }
  | { type: 'purge' }
  | { type: 'redrive' };

export type SqsRequestType = SqsWebviewMessage['type'];

const TYPES: readonly SqsRequestType[] = [
  'ready',
  'refresh',
  'loadMore',
  'consentReceive',
  'send',
  'delete',
  'purge',
  'redrive',
];

/** Reads a message from the webview; anything not exactly of the protocol is refused. */
export function parseSqsWebviewMessage(raw: unknown): Parsed<SqsWebviewMessage> {
  if (!isFields(raw)) return refuse('not an object');
  const type = oneOf(raw.type, TYPES);
  if (!type) return refuse(`unknown message type ${JSON.stringify(raw.type)}`);
  switch (type) {
    case 'ready':
    case 'refresh':
    case 'loadMore':
    case 'consentReceive':
    case 'purge':
    case 'redrive':
      return accept({ type });
    case 'delete': {
      const messageId = optString(raw.messageId, 200);
      return messageId ? accept({ type, messageId }) : refuse('delete needs a messageId');
    }
    case 'send': {
      const m = raw.message;
      if (!isFields(m)) return refuse('send needs a message');
      const body = optString(m.body, 300_000);
      const delaySeconds = optInt(m.delaySeconds, 0, 100_000);
      const groupId = optString(m.groupId, 128);
      const deduplicationId = optString(m.deduplicationId, 128);
      if (typeof body !== 'string' || delaySeconds === null || groupId === null || deduplicationId === null)
        return refuse('send has a malformed field');
      if (!Array.isArray(m.attributes) || m.attributes.length > 10) return refuse('send needs at most 10 attributes');
      const attributes: MessageAttributeView[] = [];
      for (const a of m.attributes) {
        if (!isFields(a)) return refuse('malformed attribute');
        const name = optString(a.name, 256);
        const dataType = optString(a.dataType, 256);
        const value = optString(a.value, 262_144);
        if (typeof name !== 'string' || typeof dataType !== 'string' || typeof value !== 'string')
          return refuse('malformed attribute');
        attributes.push({ name, dataType, value });
      }
      return accept({
        type,
        message: {
          body,
          attributes,
          delaySeconds,
          groupId: groupId || undefined,
          deduplicationId: deduplicationId || undefined,
        },
      });
    }
  }
}
