import type { S3PreviewHostMessage, S3PreviewWebviewMessage } from '../../protocol/s3Preview';
import { PREVIEWABLE_IMAGE_TYPES } from '../../protocol/s3Preview';
import { PendingRequests, append, clear, h, hostChannel, onHostMessage, saveState, setStatus } from '../shared/dom';

const host = hostChannel<S3PreviewWebviewMessage>();
/** The download or delete each reply answers (by requestId). */
const pending = new PendingRequests<'download' | 'delete'>();
const app = document.getElementById('app')!;
const title = h('h1', { class: 'title' });
const facts = h('div', { class: 'facts' });
const status = h('div', { class: 'status', hidden: true });
const deleteButton = h('button', { class: 'danger', onclick: () => request('delete') }, 'Delete…');
const downloadButton = h('button', { onclick: () => request('download') }, 'Download…');
const toolbar = h('div', { class: 'toolbar' }, downloadButton, deleteButton);
const frame = h('div', { class: 'image-frame' });
append(app, title, facts, toolbar, status, frame);
app.removeAttribute('aria-busy');
let objectUrl: string | undefined;
let writable = false;

function request(type: 'download' | 'delete'): void {
  pending.start(host.post({ type }), type);
  if (type === 'delete') deleteButton.disabled = true;
}

onHostMessage<S3PreviewHostMessage>((m) => {
  switch (m.type) {
    case 'image': {
      if (!PREVIEWABLE_IMAGE_TYPES.includes(m.contentType) || typeof m.base64 !== 'string') {
        setStatus(status, 'This object is not an image the preview can show.', 'error');
        return;
      }
      title.textContent = m.key.split('/').pop() || m.key;
      clear(facts);
      append(
        facts,
        h('span', { class: 'fact' }, `s3://${m.bucket}/${m.key}`),
        h('span', { class: 'fact' }, `${m.size} bytes`),
        h('span', { class: 'fact' }, m.contentType),
      );
      writable = m.writable;
      deleteButton.toggleAttribute('disabled', !m.writable);
      const bytes = Uint8Array.from(atob(m.base64), (c) => c.charCodeAt(0));
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      objectUrl = URL.createObjectURL(new Blob([bytes], { type: m.contentType }));
      clear(frame);
      frame.appendChild(h('img', { src: objectUrl, alt: m.key }));
      setStatus(status, '');
      return;
    }
    case 'done': {
      const origin = pending.finish(m.requestId);
      setStatus(status, m.message, 'info');
      if (origin === 'delete' && m.deleted) {
        deleteButton.disabled = true;
        downloadButton.disabled = true;
        frame.classList.add('deleted');
      } else if (origin === 'delete') deleteButton.disabled = !writable;
      return;
    }
    case 'error': {
      const origin = pending.finish(m.requestId);
      setStatus(status, origin ? `The ${origin} failed: ${m.message}` : m.message, 'error');
      if (origin === 'delete') deleteButton.disabled = !writable;
      return;
    }
    case 'panelState':
      saveState(m.state);
      return;
    default: {
      const unexpected: never = m;
      void unexpected;
    }
  }
});

host.post({ type: 'ready' });
