import type { PanelStateMessage } from './panelState';
import type { HostReply } from './requests';
import { accept, isFields, oneOf, optInt, optString, refuse, type Parsed } from './validate';

/** Messages between the DynamoDB item browser webview and its host. */

export interface KeyAttributeView {
  name: string;
  type: 'S' | 'N' | 'B';
  role: 'HASH' | 'RANGE';
}

export interface TableView {
  name: string;
  key: KeyAttributeView[];
  indexes: { name: string; kind: 'GSI' | 'LSI'; key: KeyAttributeView[] }[];
  itemCount?: number;
  billingMode: string;
}

export interface ItemView {
  /** Grid cells: attribute name → short text. */
  cells: Record<string, string>;
  /** The item in DynamoDB JSON, pretty-printed. */
  dynamoJson: string;
  /** The item as plain JSON (numbers exact), pretty-printed. */
  plainJson: string;
}

export type ItemFormat = 'dynamodb-json' | 'plain-json';
export const SORT_OPERATORS = ['=', '<', '<=', '>', '>=', 'begins_with', 'between'] as const;
export type SortOperatorView = (typeof SORT_OPERATORS)[number];

export interface QueryForm {
  indexName?: string;
  partitionValue: string;
  sortOperator?: SortOperatorView;
  sortValue?: string;
  sortValue2?: string;
  descending?: boolean;
}

export type DynamoHostMessage =
  | { type: 'init'; table: TableView; writable: boolean; writeBlockedReason?: string; pageSize: number }
  | {
      type: 'page';
      items: ItemView[];
      columns: string[];
      pageNumber: number;
      hasNext: boolean;
      hasPrevious: boolean;
      scannedCount: number;
      source: string;
    }
  | { type: 'busy'; label?: string }
  | { type: 'done'; request: DynamoRequestType; message: string }
  | { type: 'problems'; request: 'put'; problems: { path: string; message: string }[] }
  | { type: 'error'; request?: DynamoRequestType; message: string }
  | PanelStateMessage;

/** A host message as the webview receives it: replies carry the id of the request they answer. */
export type DynamoHostReply = HostReply<DynamoHostMessage>;

export type DynamoWebviewMessage =
  | { type: 'ready' }
  | { type: 'scan'; indexName?: string }
  | { type: 'query'; query: QueryForm }
  | { type: 'nextPage' }
  | { type: 'previousPage' }
  | { type: 'setPageSize'; pageSize: number }
  | { type: 'put'; text: string; format: ItemFormat; replaceIndex?: number }
  /**
   * `key` names the item the person chose (JSON of `[[name, DynamoDB JSON value], …]` in the table's key order):
   * when the page changed before the request arrived (another delete reloaded it), the host deletes that item,
   * not whatever is at `index` now.
   */
  | { type: 'delete'; index: number; key?: string }
  | { type: 'export'; scope: 'page' | 'table'; format: ItemFormat };

export type DynamoRequestType = DynamoWebviewMessage['type'];

const TYPES: readonly DynamoRequestType[] = [
  'ready',
  'scan',
  'query',
  'nextPage',
  'previousPage',
  'setPageSize',
  'put',
  'delete',
  'export',
];
const FORMATS: readonly ItemFormat[] = ['dynamodb-json', 'plain-json'];

export function parseDynamoWebviewMessage(raw: unknown): Parsed<DynamoWebviewMessage> {
  if (!isFields(raw)) return refuse('not an object');
  const type = oneOf(raw.type, TYPES);
  if (!type) return refuse(`unknown message type ${JSON.stringify(raw.type)}`);
  switch (type) {
    case 'ready':
    case 'nextPage':
    case 'previousPage':
      return accept({ type });
    case 'scan': {
      const indexName = optString(raw.indexName, 255);
      return indexName === null ? refuse('malformed indexName') : accept({ type, indexName: indexName || undefined });
    }
    case 'query': {
      const q = raw.query;
      if (!isFields(q)) return refuse('query needs a query');
      const indexName = optString(q.indexName, 255);
      const partitionValue = optString(q.partitionValue, 2048);
      const sortValue = optString(q.sortValue, 1024);
      const sortValue2 = optString(q.sortValue2, 1024);
      const sortOperator =
        q.sortOperator === undefined || q.sortOperator === '' ? undefined : oneOf(q.sortOperator, SORT_OPERATORS);
      if (indexName === null || typeof partitionValue !== 'string' || sortValue === null || sortValue2 === null)
        return refuse('query has a malformed field');
      if (q.sortOperator !== undefined && q.sortOperator !== '' && !sortOperator)
        return refuse('unknown sort operator');
      if (q.descending !== undefined && typeof q.descending !== 'boolean')
        return refuse('descending must be a boolean');
      return accept({
        type,
        query: {
          indexName: indexName || undefined,
          partitionValue,
          sortOperator,
          sortValue,
          sortValue2,
          descending: q.descending === true,
        },
      });
    }
    case 'setPageSize': {
      const pageSize = optInt(raw.pageSize, 1, 1000);
      return typeof pageSize === 'number' ? accept({ type, pageSize }) : refuse('pageSize must be 1–1000');
    }
    case 'put': {
      const text = optString(raw.text, 1_000_000);
      const format = oneOf(raw.format, FORMATS);
      const replaceIndex = optInt(raw.replaceIndex, 0, 10_000);
      if (typeof text !== 'string' || !format || replaceIndex === null)
        return refuse('put needs text, a format and an optional replaceIndex');
      return accept({ type, text, format, replaceIndex });
    }
    case 'delete': {
      const index = optInt(raw.index, 0, 10_000);
      const key = optString(raw.key, 16_384);
      if (key === null) return refuse('malformed item key');
      return typeof index === 'number' ? accept({ type, index, key }) : refuse('delete needs an item index');
    }
    case 'export': {
      const scope = oneOf(raw.scope, ['page', 'table'] as const);
      const format = oneOf(raw.format, FORMATS);
      return scope && format ? accept({ type, scope, format }) : refuse('export needs a scope and a format');
    }
  }
}
