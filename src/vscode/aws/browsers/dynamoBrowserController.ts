// No `vscode` import: this is the DynamoDB item browser host's logic, tested under Node against the real emulator.
import type { AwsClients } from '../../../core/aws/clients';
import {
  deleteItem,
  describeTable,
  iterateItems,
  putItem,
  queryPage,
  scanPage,
  type ItemPage,
  type KeyCondition,
  type TableSummary,
} from '../../../core/aws/dynamodb';
import { exportItems } from '../../../core/aws/dynamoExport';
import {
  cellText,
  itemFromDynamoJson,
  itemFromPlain,
  itemToDynamoJson,
  itemToPlain,
  keyOf,
  keyProblems,
  keyString,
  type Item,
} from '../../../core/aws/dynamoJson';
import { JsonSyntaxError, parseLosslessJson, stringifyLosslessJson } from '../../../core/aws/losslessJson';
import { DrydockError, describeError } from '../../../core/errors';
import type { Logger } from '../../../core/log';
import {
  parseDynamoWebviewMessage,
  type DynamoHostMessage,
  type DynamoRequestType,
  type DynamoWebviewMessage,
  type ItemFormat,
  type ItemView,
  type QueryForm,
  type TableView,
} from '../../../protocol/dynamoBrowser';
import type { BrowserUi } from './browserUi';

/** At most this many attribute columns; the rest are in the JSON view. */
const MAX_COLUMNS = 40;

export function toTableView(t: TableSummary): TableView {
  return {
    name: t.name,
    key: t.key,
    indexes: t.indexes.map((i) => ({ name: i.name, kind: i.kind, key: i.key })),
    itemCount: t.itemCount,
    billingMode: t.billingMode,
  };
}

export function toItemView(item: Item): ItemView {
  const cells: Record<string, string> = {};
  for (const [k, v] of Object.entries(item)) cells[k] = cellText(v);
  return {
    cells,
    dynamoJson: JSON.stringify(itemToDynamoJson(item), null, 2),
    plainJson: stringifyLosslessJson(itemToPlain(item), 2),
  };
}

/** Key attributes first (partition, sort), then the others in order of first appearance. */
export function columnsOf(items: readonly Item[], keyNames: readonly string[]): string[] {
  const seen = new Set<string>(keyNames);
  const rest: string[] = [];
  for (const item of items) {
    for (const k of Object.keys(item)) {
      if (!seen.has(k)) {
        seen.add(k);
        rest.push(k);
      }
    }
  }
  return [...keyNames, ...rest.sort()].slice(0, MAX_COLUMNS);
}

type Source = { kind: 'scan'; indexName?: string } | { kind: 'query'; form: QueryForm };

export class DynamoBrowserController {
  private table: TableSummary | undefined;
  private pageSize: number;
  private source: Source = { kind: 'scan' };
  /** Start keys of the pages visited so far; index i is where page i starts. */
  private starts: (Item | undefined)[] = [undefined];
  private pageIndex = 0;
  private page: ItemPage = { items: [], scannedCount: 0 };

  constructor(
    private readonly clients: AwsClients,
    private readonly tableName: string,
    private readonly ui: BrowserUi,
    private readonly post: (m: DynamoHostMessage) => void,
    private readonly logger: Logger,
    pageSize = 50,
  ) {
    this.pageSize = pageSize;
  }

  /** The items of the page on screen (tests read it). */
  get currentItems(): readonly Item[] {
    return this.page.items;
  }

  async handle(raw: unknown): Promise<void> {
    const parsed = parseDynamoWebviewMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`DynamoDB browser: ignored a malformed message from the webview: ${parsed.error}`);
      this.post({
        type: 'error',
        message: `The browser sent a message the host does not understand (${parsed.error}).`,
      });
      return;
    }
    try {
      await this.dispatch(parsed.value);
    } catch (error) {
      this.fail(parsed.value.type, error);
    }
  }

  private async dispatch(msg: DynamoWebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.table = await describeTable(this.clients.dynamodb, this.tableName);
        this.post({
          type: 'init',
          table: toTableView(this.table),
          writable: !this.ui.writeBlockedReason(),
          writeBlockedReason: this.ui.writeBlockedReason(),
          pageSize: this.pageSize,
        });
        return this.restart({ kind: 'scan' });
      case 'scan':
        this.checkIndex(msg.indexName);
        return this.restart({ kind: 'scan', indexName: msg.indexName });
      case 'query':
        this.checkIndex(msg.query.indexName);
        return this.restart({ kind: 'query', form: msg.query });
      case 'setPageSize':
        this.pageSize = msg.pageSize;
        return this.restart(this.source);
      case 'nextPage':
        if (!this.page.lastEvaluatedKey) return;
        this.starts[this.pageIndex + 1] = this.page.lastEvaluatedKey;
        this.pageIndex++;
        return this.load();
      case 'previousPage':
        if (this.pageIndex === 0) return;
        this.pageIndex--;
        return this.load();
      case 'put':
        return this.put(msg.text, msg.format, msg.replaceIndex);
      case 'delete':
        return this.delete(msg.index, msg.key);
      case 'export':
        return this.export(msg.scope, msg.format);
    }
  }

  private checkIndex(indexName: string | undefined): void {
    if (indexName && !this.table!.indexes.some((i) => i.name === indexName))
      throw new DrydockError('invalid-input', `Table ${this.tableName} has no index ${indexName}.`);
  }

  private async restart(source: Source): Promise<void> {
    this.source = source;
    this.starts = [undefined];
    this.pageIndex = 0;
    await this.load();
  }

  private async load(): Promise<void> {
    const t = this.table!;
    this.post({ type: 'busy', label: 'Loading items…' });
    const req = { table: t.name, limit: this.pageSize, exclusiveStartKey: this.starts[this.pageIndex] };
    let description: string;
    if (this.source.kind === 'scan') {
      this.page = await scanPage(this.clients.dynamodb, { ...req, indexName: this.source.indexName });
      description = this.source.indexName ? `Scan of index ${this.source.indexName}` : 'Scan';
    } else {
      const form = this.source.form;
      const key = form.indexName ? t.indexes.find((i) => i.name === form.indexName)!.key : t.key;
      const cond: KeyCondition = {
        partitionValue: form.partitionValue,
        sort: form.sortOperator
          ? { operator: form.sortOperator, value: form.sortValue ?? '', value2: form.sortValue2 }
          : undefined,
        descending: form.descending,
      };
      this.page = await queryPage(this.clients.dynamodb, { ...req, indexName: form.indexName }, key, cond);
      description = form.indexName ? `Query of index ${form.indexName}` : 'Query';
    }
    this.post({
      type: 'page',
      items: this.page.items.map(toItemView),
      columns: columnsOf(
        this.page.items,
        t.key.map((k) => k.name),
      ),
      pageNumber: this.pageIndex + 1,
      hasNext: Boolean(this.page.lastEvaluatedKey),
      hasPrevious: this.pageIndex > 0,
      scannedCount: this.page.scannedCount,
      source: description,
    });
  }

  private requireWrite(): void {
    const reason = this.ui.writeBlockedReason();
    if (reason) throw new DrydockError('not-local', reason);
  }

  /** Parses and validates an item typed in the editor; problems are shown inline, nothing is written. */
  parseItem(text: string, format: ItemFormat): { item: Item; problems: { path: string; message: string }[] } {
    let json;
    try {
      json = parseLosslessJson(text);
    } catch (error) {
      if (error instanceof JsonSyntaxError)
        return { item: {}, problems: [{ path: '', message: `Not valid JSON: ${error.message}` }] };
      throw error;
    }
    const { item, problems } = format === 'plain-json' ? itemFromPlain(json) : itemFromDynamoJson(json);
    return { item, problems: [...problems, ...keyProblems(item, this.table!.key)] };
  }

  private async put(text: string, format: ItemFormat, replaceIndex: number | undefined): Promise<void> {
    this.requireWrite();
    const { item, problems } = this.parseItem(text, format);
    if (problems.length) {
      this.post({ type: 'problems', request: 'put', problems });
      return;
    }
    const keyNames = this.table!.key.map((k) => k.name);
    const original = replaceIndex === undefined ? undefined : this.page.items[replaceIndex];
    if (replaceIndex !== undefined && !original)
      throw new DrydockError('not-found', 'The item being edited is no longer on this page. Reload and try again.');
    const oldKey = original && keyOf(original, keyNames);
    const keyChanged =
      oldKey && JSON.stringify(itemToDynamoJson(oldKey)) !== JSON.stringify(itemToDynamoJson(keyOf(item, keyNames)));
    await putItem(this.clients.dynamodb, this.table!.name, item, {
      mustBeNew: !original || Boolean(keyChanged),
      keyNames,
    });
    if (keyChanged) await deleteItem(this.clients.dynamodb, this.table!.name, oldKey);
    this.logger.info(`DynamoDB: ${original ? 'updated' : 'created'} an item in ${this.table!.name}`);
    this.post({
      type: 'done',
      request: 'put',
      message: original
        ? keyChanged
          ? 'Saved under the new key; the old item was deleted.'
          : 'Saved.'
        : 'Item created.',
    });
    await this.load();
  }

  private async delete(index: number, chosenKey: string | undefined): Promise<void> {
    this.requireWrite();
    const keyNames = this.table!.key.map((k) => k.name);
    const keyText = (it: Item) => keyString(itemToDynamoJson(it), keyNames);
    let item = this.page.items[index];
    // The page may have been reloaded since the person chose (a concurrent delete): find their item by its key.
    if (chosenKey !== undefined && (!item || keyText(item) !== chosenKey))
      item = this.page.items.find((it) => keyText(it) === chosenKey);
    if (!item) throw new DrydockError('not-found', 'That item is no longer on this page. Reload and try again.');
    const key = keyOf(item, keyNames);
    const label = Object.values(key)
      .map((v) => cellText(v, 60))
      .join(' / ');
    if (
      !(await this.ui.confirm(`Delete item ${label} from ${this.table!.name}?`, 'This cannot be undone.', 'Delete'))
    ) {
      this.post({ type: 'done', request: 'delete', message: 'Delete cancelled.' });
      return;
    }
    await deleteItem(this.clients.dynamodb, this.table!.name, key);
    this.logger.info(`DynamoDB: deleted an item from ${this.table!.name}`);
    this.post({ type: 'done', request: 'delete', message: `Deleted ${label}.` });
    await this.load();
  }

  private async export(scope: 'page' | 'table', format: ItemFormat): Promise<void> {
    const t = this.table!;
    const file = await this.ui.saveFile(`${t.name}${scope === 'page' ? `-page${this.pageIndex + 1}` : ''}.json`, {
      JSON: ['json'],
    });
    if (!file) return;
    const result = await this.ui.withProgress(
      `Exporting ${scope === 'page' ? 'this page' : `table ${t.name}`}`,
      (signal, report) => {
        const pages =
          scope === 'page'
            ? [this.page.items]
            : iterateItems(this.clients.dynamodb, t.name, { signal, pageSize: 1000 });
        let last = 0;
        return exportItems(pages, file, {
          format,
          total: scope === 'page' ? this.page.items.length : t.itemCount,
          signal,
          onProgress: (p) => {
            report(
              `${p.written}${p.total ? ` of ~${p.total}` : ''} items`,
              p.total ? ((p.written - last) / p.total) * 100 : undefined,
            );
            last = p.written;
          },
        });
      },
    );
    this.logger.info(`DynamoDB: exported ${result.written} items of ${t.name} to ${file}`);
    this.post({ type: 'done', request: 'export', message: `Exported ${result.written} items to ${file}.` });
  }

  private fail(request: DynamoRequestType, error: unknown): void {
    const message = DrydockError.is(error) || error instanceof Error ? describeError(error) : String(error);
    this.logger.error(`DynamoDB browser (${this.tableName}) ${request} failed: ${message}`);
    this.post({ type: 'error', request, message });
  }
}
