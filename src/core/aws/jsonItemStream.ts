/**
 * Streams the items of one list inside a large JSON document without holding the document: each element of the
 * first array (or the single object) found under one of `keys` is parsed and yielded as soon as its text is
 * complete. Memory is one chunk plus one item, whatever the document's size.
 *
 * Used for LocalStack's SQS peek, which has no paging and answers with every message of the queue at once.
 */
export async function* jsonItemsUnder(
  chunks: AsyncIterable<Uint8Array>,
  keys: ReadonlySet<string>,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Text of the string being read (outside items), while it is short enough to be a key. */
  let str: string | undefined = '';
  let lastString: string | undefined;
  let key: string | undefined;
  /** 'none': looking for the key; 'array': inside the list, between items; 'item': inside an item; 'done'. */
  let mode = 'none' as 'none' | 'array' | 'item' | 'done';
  let listDepth = 0;
  let itemDepth = 0;
  let itemParts: string[] = [];
  /** When the item is the single object under the key (no array), the list ends with it. */
  let single = false;

  const scan = function* (text: string): Generator<unknown> {
    let itemStart = mode === 'item' ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c /* \ */) escaped = true;
        else if (c === 0x22 /* " */) {
          inString = false;
          if (mode !== 'item') lastString = str;
        } else if (mode !== 'item' && str !== undefined) str = str.length < 64 ? str + text[i] : undefined;
        continue;
      }
      switch (c) {
        case 0x22: // "
          inString = true;
          if (mode !== 'item') str = '';
          break;
        case 0x3a: // :
          if (mode !== 'item') key = lastString;
          break;
        case 0x2c: // ,
          if (mode !== 'item') key = undefined;
          break;
        case 0x7b: // {
        case 0x5b: // [
          depth++;
          if (mode === 'none' && key !== undefined && keys.has(key)) {
            if (c === 0x5b) {
              mode = 'array';
              listDepth = depth;
            } else {
              mode = 'item';
              single = true;
              itemDepth = depth;
              itemStart = i;
            }
          } else if (mode === 'array' && depth === listDepth + 1) {
            mode = 'item';
            itemDepth = depth;
            itemStart = i;
          }
          key = undefined;
          break;
        case 0x7d: // }
        case 0x5d: // ]
          if (mode === 'item' && depth === itemDepth) {
            itemParts.push(text.slice(itemStart, i + 1));
            const item: unknown = JSON.parse(itemParts.join(''));
            itemParts = [];
            itemStart = -1;
            mode = single ? 'done' : 'array';
            yield item;
          } else if (mode === 'array' && depth === listDepth) {
            mode = 'done';
          }
          depth--;
          break;
        default:
          break;
      }
    }
    if (mode === 'item' && itemStart >= 0) itemParts.push(text.slice(itemStart));
  };

  for await (const chunk of chunks) {
    yield* scan(decoder.decode(chunk, { stream: true }));
  }
  yield* scan(decoder.decode());
  if (inString || depth !== 0 || mode === 'item' || mode === 'array')
    throw new SyntaxError('The JSON document ended early.');
}
