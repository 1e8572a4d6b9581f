import type {
  MessageAttributeView,
  MessageView,
  QueueView,
  SqsHostMessage,
  SqsWebviewMessage,
} from '../../protocol/sqsBrowser';
import {
  PendingRequests,
  RowStates,
  append,
  clear,
  formatTime,
  h,
  hostChannel,
  jsonTree,
  onHostMessage,
  saveState,
  setStatus,
} from '../shared/dom';

const host = hostChannel<SqsWebviewMessage>();
const app = document.getElementById('app')!;

let writable = false;
let writeBlockedReason = '';
let messages: MessageView[] = [];

/** What started a request whose outcome belongs somewhere other than the page's status line. */
type Origin = { kind: 'send' } | { kind: 'delete'; messageId: string };
const pending = new PendingRequests<Origin>();
/** Per message row: a delete in flight, or how the last one ended (kept across re-renders of the list). */
const rowStates = new RowStates(
  (messageId) =>
    [...list.querySelectorAll<HTMLElement>('details.message')].find((el) => el.dataset.messageId === messageId),
  (row, s) => {
    const del = row.querySelector<HTMLButtonElement>('button[data-action="delete"]');
    if (del) del.disabled = !writable || s?.state === 'busy';
  },
);

// ---- layout (static; filled with textContent only) ----
const title = h('h1', { class: 'title' });
const facts = h('div', { class: 'facts', 'data-testid': 'queue-facts' });
const modeBanner = h('div', { class: 'banner', hidden: true });
const status = h('div', { class: 'status', hidden: true });
const filter = h('input', {
  type: 'search',
  placeholder: 'Filter loaded messages by text',
  'aria-label': 'Filter messages',
  oninput: () => renderList(),
});
const refreshButton = h('button', { onclick: () => send({ type: 'refresh' }) }, 'Refresh');
const sendButton = h('button', { onclick: () => toggleSendForm() }, 'Send message…');
const purgeButton = h('button', { class: 'danger', onclick: () => send({ type: 'purge' }) }, 'Purge…');
const redriveButton = h(
  'button',
  { hidden: true, onclick: () => send({ type: 'redrive' }) },
  'Move messages back to source…',
);
const toolbar = h('div', { class: 'toolbar' }, refreshButton, sendButton, purgeButton, redriveButton, filter);
const list = h('div', { class: 'messages', 'data-testid': 'messages' });
const loadedCount = h('span', { class: 'muted', 'data-testid': 'loaded-count' });
const moreButton = h('button', { hidden: true, onclick: () => send({ type: 'loadMore' }) }, 'Load more');
const sendForm = buildSendForm();
append(
  app,
  title,
  facts,
  toolbar,
  modeBanner,
  status,
  sendForm.root,
  list,
  h('div', { class: 'footer' }, loadedCount, moreButton),
);
app.removeAttribute('aria-busy');

function send(m: SqsWebviewMessage, origin?: Origin): void {
  if (!origin && m.type !== 'ready' && m.type !== 'loadMore') setStatus(status, 'Working…', 'busy');
  const id = host.post(m);
  if (origin) pending.start(id, origin);
}

function deleteMessage(messageId: string): void {
  rowStates.set(messageId, { state: 'busy', text: 'Deleting…' });
  send({ type: 'delete', messageId }, { kind: 'delete', messageId });
}

function renderQueue(q: QueueView): void {
  title.textContent = q.name;
  clear(facts);
  const fact = (label: string, value: string | number | undefined, testid?: string) =>
    value === undefined
      ? null
      : h('span', { class: 'fact', 'data-testid': testid }, h('span', { class: 'muted' }, label, ' '), String(value));
  append(
    facts,
    fact('Visible', q.visible, 'count-visible'),
    fact('In flight', q.inFlight, 'count-inflight'),
    fact('Delayed', q.delayed, 'count-delayed'),
    q.fifo ? fact('Type', 'FIFO') : fact('Type', 'Standard'),
    fact(
      'Visibility timeout',
      q.visibilityTimeoutSeconds !== undefined ? `${q.visibilityTimeoutSeconds} s` : undefined,
    ),
    fact('Retention', q.retentionSeconds !== undefined ? `${Math.round(q.retentionSeconds / 3600)} h` : undefined),
    q.deadLetterTargetName
      ? fact('Dead-letter queue', `${q.deadLetterTargetName} after ${q.maxReceiveCount ?? '?'} receives`)
      : null,
    q.deadLetterSourceNames.length ? fact('Dead-letter queue of', q.deadLetterSourceNames.join(', ')) : null,
  );
  redriveButton.hidden = q.deadLetterSourceNames.length === 0;
  sendForm.fifo(q.fifo);
}

function renderMode(mode: 'peek' | 'receive' | 'consent-needed', emulator: string): void {
  clear(modeBanner);
  modeBanner.hidden = false;
  if (mode === 'peek') {
    modeBanner.className = 'banner info';
    append(
      modeBanner,
      'Messages are listed without receiving them (LocalStack peek): receive counts and visibility do not change. Invisible and delayed messages are included.',
    );
  } else {
    modeBanner.className = 'banner warning';
    append(
      modeBanner,
      h(
        'strong',
        {},
        `${emulator === 'moto' ? 'moto' : 'This endpoint'} cannot list messages without receiving them. `,
      ),
      "Listing receives each message: its receive count rises, it is hidden from consumers for up to a minute, and past the redrive policy's maxReceiveCount it moves to the dead-letter queue.",
    );
    if (mode === 'consent-needed') {
      append(
        modeBanner,
        ' ',
        h(
          'button',
          {
            'data-testid': 'consent-receive',
            onclick: () => (send({ type: 'consentReceive' }), renderMode('receive', emulator)),
          },
          'Receive messages anyway',
        ),
      );
    }
  }
}

function renderWriteState(): void {
  for (const b of [sendButton, purgeButton, redriveButton]) {
    b.toggleAttribute('disabled', !writable);
    b.title = writable ? '' : writeBlockedReason;
  }
}

function bodyView(body: string): HTMLElement {
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return h('div', { class: 'body json-body' }, jsonTree(JSON.parse(trimmed)));
    } catch {
      // not JSON after all
    }
  }
  return h('pre', { class: 'body' }, body);
}

function attributeTable(rows: [string, string][]): HTMLElement {
  return h(
    'table',
    { class: 'kv' },
    h('tbody', {}, ...rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))),
  );
}

function messageRow(m: MessageView): HTMLElement {
  const preview = m.body.length > 160 ? m.body.slice(0, 159) + '…' : m.body;
  const flags = [m.visible === false ? 'invisible' : '', m.delayed ? 'delayed' : ''].filter(Boolean).join(', ');
  const summary = h(
    'summary',
    {},
    h('span', { class: 'muted time' }, formatTime(m.sentAt)),
    h('span', { class: 'preview' }, preview),
    m.receiveCount !== undefined ? h('span', { class: 'badge', title: 'Receive count' }, `×${m.receiveCount}`) : null,
    m.groupId ? h('span', { class: 'badge', title: 'Message group' }, m.groupId) : null,
    flags ? h('span', { class: 'badge warn' }, flags) : null,
    h('span', { class: 'row-status', 'data-testid': 'row-status', hidden: true }),
  );
  const deleteButton = h(
    'button',
    {
      class: 'danger',
      'data-action': 'delete',
      disabled: !writable,
      title: writable ? '' : writeBlockedReason,
      onclick: () => deleteMessage(m.messageId),
    },
    'Delete',
  );
  const system: [string, string][] = [['MessageId', m.messageId], ...Object.entries(m.systemAttributes)];
  if (m.sentAt !== undefined) system.push(['Sent', formatTime(m.sentAt)]);
  if (m.deduplicationId) system.push(['Deduplication id', m.deduplicationId]);
  const details = h(
    'details',
    { class: 'message', 'data-message-id': m.messageId },
    summary,
    h(
      'div',
      { class: 'message-detail' },
      h('h3', {}, 'Body'),
      bodyView(m.body),
      h('h3', {}, 'Message attributes'),
      m.messageAttributes.length
        ? attributeTable(m.messageAttributes.map((a) => [`${a.name} (${a.dataType})`, a.value]))
        : h('div', { class: 'muted' }, 'None'),
      h('h3', {}, 'System attributes'),
      attributeTable(system),
      h('div', { class: 'toolbar' }, deleteButton),
    ),
  );
  return details;
}

function renderList(): void {
  const needle = filter.value.trim().toLowerCase();
  clear(list);
  const shown = needle
    ? messages.filter(
        (m) =>
          m.body.toLowerCase().includes(needle) ||
          m.messageId.includes(needle) ||
          m.messageAttributes.some((a) => a.value.toLowerCase().includes(needle)),
      )
    : messages;
  const fragment = document.createDocumentFragment();
  for (const m of shown) fragment.appendChild(messageRow(m));
  list.appendChild(fragment);
  rowStates.renderAll();
  if (shown.length === 0)
    list.appendChild(
      h('div', { class: 'muted empty' }, messages.length ? 'No loaded message matches the filter.' : 'No messages.'),
    );
  loadedCount.textContent = needle
    ? `${shown.length} of ${messages.length} loaded messages match`
    : `${messages.length} messages loaded`;
}

// ---- send form ----
function buildSendForm() {
  const body = h('textarea', { rows: 6, 'aria-label': 'Message body', placeholder: 'Message body (text or JSON)' });
  const delay = h('input', { type: 'number', min: 0, max: 900, value: '0', 'aria-label': 'Delay seconds' });
  const group = h('input', { type: 'text', 'aria-label': 'Message group id' });
  const dedup = h('input', { type: 'text', 'aria-label': 'Deduplication id' });
  const attrRows = h('div', { class: 'attr-rows' });
  const problems = h('ul', { class: 'problems', hidden: true });
  const fifoOnly = h(
    'div',
    { class: 'row', hidden: true },
    h('label', {}, 'Group id ', group),
    h('label', {}, 'Deduplication id ', dedup),
  );
  const delayRow = h('label', {}, 'Delay (s) ', delay);
  const addAttr = () => {
    const name = h('input', { type: 'text', placeholder: 'name', 'aria-label': 'Attribute name' });
    const type = h(
      'select',
      { 'aria-label': 'Attribute type' },
      h('option', {}, 'String'),
      h('option', {}, 'Number'),
      h('option', {}, 'Binary'),
    );
    const value = h('input', {
      type: 'text',
      placeholder: 'value (base64 for Binary)',
      'aria-label': 'Attribute value',
    });
    const row = h(
      'div',
      { class: 'row attr' },
      name,
      type,
      value,
      h('button', { onclick: () => row.remove(), title: 'Remove attribute' }, '✕'),
    );
    attrRows.appendChild(row);
  };
  const submit = () => {
    const attributes: MessageAttributeView[] = [...attrRows.querySelectorAll('.attr')].map((row) => {
      const [n, v] = row.querySelectorAll('input');
      return { name: n!.value.trim(), dataType: row.querySelector('select')!.value, value: v!.value };
    });
    const delaySeconds = delay.value.trim() === '' ? undefined : Number(delay.value);
    send(
      {
        type: 'send',
        message: {
          body: body.value,
          attributes,
          delaySeconds: Number.isInteger(delaySeconds) ? delaySeconds : -1,
          groupId: group.value.trim() || undefined,
          deduplicationId: dedup.value.trim() || undefined,
        },
      },
      { kind: 'send' },
    );
    setStatus(status, 'Sending…', 'busy');
  };
  const root = h(
    'section',
    { class: 'form', hidden: true, 'aria-label': 'Send a message' },
    h('h2', {}, 'Send a message'),
    body,
    h('div', { class: 'row' }, delayRow),
    fifoOnly,
    h('h3', {}, 'Message attributes'),
    attrRows,
    h(
      'div',
      { class: 'toolbar' },
      h('button', { onclick: addAttr }, 'Add attribute'),
      h('button', { class: 'primary', onclick: submit }, 'Send'),
      h('button', { onclick: () => toggleSendForm(false) }, 'Close'),
    ),
    problems,
  );
  return {
    root,
    fifo(isFifo: boolean) {
      fifoOnly.hidden = !isFifo;
      delayRow.hidden = isFifo;
    },
    showProblems(list: { field: string; message: string }[]) {
      clear(problems);
      problems.hidden = list.length === 0;
      for (const p of list) problems.appendChild(h('li', {}, h('strong', {}, p.field), ': ', p.message));
    },
    reset() {
      body.value = '';
      clear(attrRows);
      this.showProblems([]);
    },
  };
}

function toggleSendForm(show = sendForm.root.hidden): void {
  sendForm.root.hidden = !show;
}

// ---- messages from the host: outcomes go to what started their request (by requestId) ----
onHostMessage<SqsHostMessage>((m) => {
  switch (m.type) {
    case 'panelState':
      saveState(m.state);
      return;
    case 'init':
      writable = m.writable;
      writeBlockedReason = m.writeBlockedReason ?? '';
      renderQueue(m.queue);
      renderMode(m.mode, m.emulator);
      renderWriteState();
      return;
    case 'queue':
      renderQueue(m.queue);
      return;
    case 'messages':
      if (m.append) messages = messages.concat(m.messages);
      else {
        messages = m.messages;
        // A row that left the list (deleted, purged, moved) takes its state with it.
        rowStates.keepOnly(new Set(messages.map((x) => x.messageId)));
      }
      moreButton.hidden = !m.hasMore;
      setStatus(status, '');
      renderList();
      return;
    case 'busy':
      // A row's delete shows its own busy state; the list reload after it may still use the status line.
      if (pending.originOf(m.requestId)?.kind !== 'delete') setStatus(status, m.label ?? 'Working…', 'busy');
      return;
    case 'done': {
      const origin = pending.finish(m.requestId);
      if (origin?.kind === 'delete') {
        // The row leaves the list with the reload that follows; until then it says what happened.
        rowStates.set(origin.messageId, { state: 'info', text: m.message });
        return;
      }
      setStatus(status, m.message, 'info');
      if (origin?.kind === 'send') sendForm.reset();
      return;
    }
    case 'error': {
      const origin = pending.finish(m.requestId);
      if (origin?.kind === 'delete') {
        rowStates.set(origin.messageId, { state: 'error', text: m.message });
        if (!pending.some((o) => o.kind === 'delete')) setStatus(status, '');
        return;
      }
      setStatus(status, m.message, 'error');
      if (origin?.kind === 'send') sendForm.showProblems(m.problems ?? []);
      return;
    }
    default: {
      const unexpected: never = m;
      void unexpected;
    }
  }
});

host.post({ type: 'ready' });
