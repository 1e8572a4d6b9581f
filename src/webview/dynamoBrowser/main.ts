import {
  SORT_OPERATORS,
  type DynamoHostMessage,
  type DynamoWebviewMessage,
  type ItemFormat,
  type ItemView,
  type TableView,
} from '../../protocol/dynamoBrowser';
import {
  PendingRequests,
  RowStates,
  append,
  clear,
  h,
  hostChannel,
  onHostMessage,
  saveState,
  setStatus,
} from '../shared/dom';

const host = hostChannel<DynamoWebviewMessage>();
const app = document.getElementById('app')!;

let table: TableView | undefined;
let writable = false;
let writeBlockedReason = '';
let items: ItemView[] = [];
let columns: string[] = [];
let selected: number | undefined;
let jsonFormat: ItemFormat = 'plain-json';

/** What started a request whose outcome belongs to a row or to the editor rather than the status line. */
type Origin = { kind: 'delete'; key: string } | { kind: 'put' };
const pending = new PendingRequests<Origin>();
/** Per item (by its key, so it survives page reloads): a delete in flight, or how it ended. */
const rowStates = new RowStates(
  (key) => [...grid.querySelectorAll<HTMLElement>('tbody tr[data-key]')].find((r) => r.dataset.key === key),
  (row) => {
    if (row.getAttribute('aria-selected') === 'true') renderDetail();
  },
);

// ---- layout ----
const title = h('h1', { class: 'title' });
const facts = h('div', { class: 'facts' });
const status = h('div', { class: 'status', hidden: true });

const sourceSelect = h('select', { 'aria-label': 'Table or index', onchange: () => renderQueryInputs() });
const modeSelect = h(
  'select',
  { 'aria-label': 'Scan or query', onchange: () => renderQueryInputs() },
  h('option', { value: 'scan' }, 'Scan'),
  h('option', { value: 'query' }, 'Query'),
);
const pkLabel = h('span', { class: 'muted' });
const pkInput = h('input', { type: 'text', 'aria-label': 'Partition key value' });
const skLabel = h('span', { class: 'muted' });
const skOp = h(
  'select',
  { 'aria-label': 'Sort key condition' },
  h('option', { value: '' }, '(any)'),
  ...SORT_OPERATORS.map((o) => h('option', { value: o }, o)),
);
const skValue = h('input', { type: 'text', 'aria-label': 'Sort key value' });
const skValue2 = h('input', { type: 'text', 'aria-label': 'Second sort key value', placeholder: 'and' });
const descending = h('input', { type: 'checkbox', 'aria-label': 'Descending' });
const skGroup = h(
  'span',
  { class: 'row' },
  skLabel,
  skOp,
  skValue,
  skValue2,
  h('label', {}, descending, ' descending'),
);
const queryInputs = h('span', { class: 'row', hidden: true }, pkLabel, pkInput, skGroup);
const runButton = h('button', { class: 'primary', onclick: () => run() }, 'Run');
const pageSize = h(
  'select',
  { 'aria-label': 'Page size', onchange: () => send({ type: 'setPageSize', pageSize: Number(pageSize.value) }) },
  ...[25, 50, 100, 250, 500].map((n) => h('option', { value: String(n) }, `${n} per page`)),
);
const controls = h('div', { class: 'toolbar' }, sourceSelect, modeSelect, queryInputs, runButton, pageSize);

const prevButton = h('button', { onclick: () => send({ type: 'previousPage' }) }, '‹ Previous');
const nextButton = h('button', { onclick: () => send({ type: 'nextPage' }) }, 'Next ›');
const pageInfo = h('span', { class: 'muted', 'data-testid': 'page-info' });
const newButton = h('button', { onclick: () => openEditor(undefined) }, 'New item…');
const exportFormat = h(
  'select',
  { 'aria-label': 'Export format' },
  h('option', { value: 'dynamodb-json' }, 'DynamoDB JSON'),
  h('option', { value: 'plain-json' }, 'Plain JSON'),
);
const exportPage = h(
  'button',
  { onclick: () => send({ type: 'export', scope: 'page', format: exportFormat.value as ItemFormat }) },
  'Export page…',
);
const exportTable = h(
  'button',
  { onclick: () => send({ type: 'export', scope: 'table', format: exportFormat.value as ItemFormat }) },
  'Export table…',
);
const pager = h(
  'div',
  { class: 'toolbar' },
  prevButton,
  nextButton,
  pageInfo,
  newButton,
  exportFormat,
  exportPage,
  exportTable,
);

const grid = h('table', { class: 'grid', 'data-testid': 'item-grid' });
const gridWrap = h('div', { class: 'grid-wrap' }, grid);

const jsonTabs = h('div', { class: 'tabs', role: 'tablist' });
const jsonView = h('pre', { class: 'json-view', 'data-testid': 'item-json' });
const editButton = h('button', { onclick: () => selected !== undefined && openEditor(selected) }, 'Edit…');
const deleteButton = h(
  'button',
  { class: 'danger', onclick: () => selected !== undefined && deleteItem(selected) },
  'Delete…',
);
const detail = h(
  'section',
  { class: 'detail', hidden: true, 'aria-label': 'Selected item' },
  jsonTabs,
  jsonView,
  h('div', { class: 'toolbar' }, editButton, deleteButton),
);

const editorText = h('textarea', { rows: 14, spellcheck: false, 'aria-label': 'Item JSON' });
const editorFormat = h(
  'select',
  { 'aria-label': 'Item format', onchange: () => switchEditorFormat() },
  h('option', { value: 'plain-json' }, 'Plain JSON'),
  h('option', { value: 'dynamodb-json' }, 'DynamoDB JSON'),
);
const editorTitle = h('h2', {});
const problems = h('ul', { class: 'problems', hidden: true, 'data-testid': 'problems' });
let editing: number | undefined;
let editorLastFormat: ItemFormat = 'plain-json';
const editor = h(
  'section',
  { class: 'form', hidden: true },
  editorTitle,
  h(
    'div',
    { class: 'row' },
    editorFormat,
    h(
      'span',
      { class: 'muted' },
      'Plain JSON: arrays become lists and text becomes strings. Use DynamoDB JSON for sets and binary.',
    ),
  ),
  editorText,
  problems,
  h(
    'div',
    { class: 'toolbar' },
    h('button', { class: 'primary', onclick: () => save() }, 'Save'),
    h('button', { onclick: () => (editor.hidden = true) }, 'Cancel'),
  ),
);

append(app, title, facts, controls, status, pager, gridWrap, detail, editor);
app.removeAttribute('aria-busy');

function send(m: DynamoWebviewMessage, origin?: Origin): void {
  if (origin?.kind !== 'delete') setStatus(status, 'Working…', 'busy');
  const id = host.post(m);
  if (origin) pending.start(id, origin);
}

/** An item's identity on screen and in a delete request: its key attributes in DynamoDB JSON, in key order. */
function itemKey(item: ItemView): string {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(item.dynamoJson) as Record<string, unknown>;
  } catch {
    // the host always sends JSON; an unreadable item simply has no row state
  }
  return JSON.stringify((table?.key ?? []).map((k) => [k.name, parsed[k.name] ?? null]));
}

function deleteItem(index: number): void {
  const item = items[index];
  if (!item) return;
  const key = itemKey(item);
  rowStates.set(key, { state: 'busy', text: 'Deleting…' });
  send({ type: 'delete', index, key }, { kind: 'delete', key });
}

function currentKey() {
  const index = table?.indexes.find((i) => i.name === sourceSelect.value);
  return index ? index.key : (table?.key ?? []);
}

function renderQueryInputs(): void {
  const isQuery = modeSelect.value === 'query';
  queryInputs.hidden = !isQuery;
  const key = currentKey();
  const pk = key.find((k) => k.role === 'HASH');
  const sk = key.find((k) => k.role === 'RANGE');
  pkLabel.textContent = pk ? `${pk.name} (${pk.type}) =` : '';
  skGroup.hidden = !sk;
  skLabel.textContent = sk ? `${sk.name} (${sk.type})` : '';
}

function run(): void {
  const indexName = sourceSelect.value || undefined;
  if (modeSelect.value === 'scan') send({ type: 'scan', indexName });
  else
    send({
      type: 'query',
      query: {
        indexName,
        partitionValue: pkInput.value,
        sortOperator: (skOp.value || undefined) as never,
        sortValue: skValue.value,
        sortValue2: skValue2.value,
        descending: descending.checked,
      },
    });
}

function renderTable(t: TableView): void {
  table = t;
  title.textContent = t.name;
  clear(facts);
  const fact = (label: string, value: string) =>
    h('span', { class: 'fact' }, h('span', { class: 'muted' }, label, ' '), value);
  append(
    facts,
    fact('Key', t.key.map((k) => `${k.name} (${k.type}${k.role === 'RANGE' ? ', sort' : ''})`).join(' + ')),
    fact('Items', t.itemCount === undefined ? '?' : `~${t.itemCount}`),
    fact('Billing', t.billingMode === 'PAY_PER_REQUEST' ? 'on-demand' : 'provisioned'),
    ...t.indexes.map((i) => fact(i.kind, `${i.name}: ${i.key.map((k) => k.name).join(' + ')}`)),
  );
  clear(sourceSelect);
  sourceSelect.appendChild(h('option', { value: '' }, `Table ${t.name}`));
  for (const i of t.indexes) sourceSelect.appendChild(h('option', { value: i.name }, `${i.kind} ${i.name}`));
  renderQueryInputs();
}

function renderGrid(): void {
  clear(grid);
  const headRow = h(
    'tr',
    {},
    h('th', { class: 'rownum' }, '#'),
    ...columns.map((c) => h('th', { scope: 'col', title: c }, c)),
    h('th', { class: 'row-status', scope: 'col' }, ''),
  );
  const body = h('tbody', {});
  items.forEach((item, i) => {
    const row = h(
      'tr',
      {
        'data-key': itemKey(item),
        tabindex: 0,
        'aria-selected': selected === i ? 'true' : 'false',
        onclick: () => select(i),
        onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && select(i),
      },
      h('td', { class: 'rownum' }, i + 1),
    );
    for (const c of columns) row.appendChild(h('td', { title: item.cells[c] ?? '' }, item.cells[c] ?? ''));
    row.appendChild(h('td', {}, h('span', { class: 'row-status', 'data-testid': 'row-status', hidden: true })));
    body.appendChild(row);
  });
  append(grid, h('thead', {}, headRow), body);
  if (items.length === 0)
    body.appendChild(h('tr', {}, h('td', { colspan: columns.length + 2, class: 'muted empty' }, 'No items.')));
  rowStates.renderAll();
}

function select(i: number): void {
  selected = i;
  for (const [j, row] of [...grid.querySelectorAll('tbody tr')].entries())
    row.setAttribute('aria-selected', j === i ? 'true' : 'false');
  renderDetail();
}

function renderDetail(): void {
  const item = selected === undefined ? undefined : items[selected];
  detail.hidden = !item;
  if (!item) return;
  clear(jsonTabs);
  for (const [format, label] of [
    ['plain-json', 'Plain JSON'],
    ['dynamodb-json', 'DynamoDB JSON'],
  ] as const) {
    jsonTabs.appendChild(
      h(
        'button',
        {
          role: 'tab',
          'aria-selected': jsonFormat === format ? 'true' : 'false',
          onclick: () => ((jsonFormat = format), renderDetail()),
        },
        label,
      ),
    );
  }
  jsonView.textContent = jsonFormat === 'plain-json' ? item.plainJson : item.dynamoJson;
  for (const b of [editButton, deleteButton]) {
    b.toggleAttribute('disabled', !writable);
    b.title = writable ? '' : writeBlockedReason;
  }
  if (rowStates.get(itemKey(item))?.state === 'busy') deleteButton.toggleAttribute('disabled', true);
}

function template(format: ItemFormat): string {
  const key = table?.key ?? [];
  if (format === 'plain-json')
    return JSON.stringify(Object.fromEntries(key.map((k) => [k.name, k.type === 'N' ? 0 : ''])), null, 2);
  return JSON.stringify(Object.fromEntries(key.map((k) => [k.name, { [k.type]: k.type === 'N' ? '0' : '' }])), null, 2);
}

function openEditor(index: number | undefined): void {
  editing = index;
  editorTitle.textContent = index === undefined ? 'New item' : `Edit item ${index + 1}`;
  const format = editorFormat.value as ItemFormat;
  editorLastFormat = format;
  editorText.value =
    index === undefined
      ? template(format)
      : format === 'plain-json'
        ? items[index]!.plainJson
        : items[index]!.dynamoJson;
  showProblems([]);
  editor.hidden = false;
  editorText.focus();
}

function switchEditorFormat(): void {
  const format = editorFormat.value as ItemFormat;
  // Switching format reloads the item (or template) in that format; unsaved edits in the other format are replaced.
  const untouched =
    editing === undefined
      ? editorText.value === template(editorLastFormat)
      : editorText.value ===
        (editorLastFormat === 'plain-json' ? items[editing]!.plainJson : items[editing]!.dynamoJson);
  if (untouched) openEditor(editing);
  editorLastFormat = format;
}

function save(): void {
  send(
    { type: 'put', text: editorText.value, format: editorFormat.value as ItemFormat, replaceIndex: editing },
    { kind: 'put' },
  );
}

function showProblems(list: { path: string; message: string }[]): void {
  clear(problems);
  problems.hidden = list.length === 0;
  for (const p of list)
    problems.appendChild(h('li', {}, p.path ? h('strong', {}, p.path) : null, p.path ? ': ' : '', p.message));
}

function renderWriteState(): void {
  newButton.toggleAttribute('disabled', !writable);
  newButton.title = writable ? '' : writeBlockedReason;
}

// Outcomes go to what started their request (by requestId): a row's delete to that row, a save to the editor.
onHostMessage<DynamoHostMessage>((m) => {
  switch (m.type) {
    case 'panelState':
      saveState(m.state);
      return;
    case 'init':
      writable = m.writable;
      writeBlockedReason = m.writeBlockedReason ?? '';
      pageSize.value = String(m.pageSize);
      renderTable(m.table);
      renderWriteState();
      return;
    case 'page': {
      items = m.items;
      columns = m.columns;
      selected = undefined;
      // An item that left the page (deleted, or another page shown) drops its finished state.
      rowStates.keepOnly(new Set(items.map(itemKey)));
      renderGrid();
      renderDetail();
      prevButton.toggleAttribute('disabled', !m.hasPrevious);
      nextButton.toggleAttribute('disabled', !m.hasNext);
      pageInfo.textContent = `${m.source} · page ${m.pageNumber} · ${m.items.length} items${m.scannedCount !== m.items.length ? ` (${m.scannedCount} scanned)` : ''}`;
      setStatus(status, '');
      return;
    }
    case 'busy':
      setStatus(status, m.label ?? 'Working…', 'busy');
      return;
    case 'done': {
      const origin = pending.finish(m.requestId);
      if (origin?.kind === 'delete') {
        rowStates.set(origin.key, { state: 'info', text: m.message });
        if (!pending.some((o) => o.kind === 'delete')) setStatus(status, '');
        return;
      }
      setStatus(status, m.message, 'info');
      if (origin?.kind === 'put') editor.hidden = true;
      return;
    }
    case 'problems':
      pending.finish(m.requestId);
      setStatus(status, 'The item was not saved: see the problems below.', 'error');
      showProblems(m.problems);
      return;
    case 'error': {
      const origin = pending.finish(m.requestId);
      if (origin?.kind === 'delete') {
        rowStates.set(origin.key, { state: 'error', text: m.message });
        if (!pending.some((o) => o.kind === 'delete')) setStatus(status, '');
        return;
      }
      setStatus(status, m.message, 'error');
      if (origin?.kind === 'put') showProblems([{ path: '', message: m.message }]);
      return;
    }
    default: {
      const unexpected: never = m;
      void unexpected;
    }
  }
});

host.post({ type: 'ready' });
