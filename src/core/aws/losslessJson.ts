/**
 * JSON that keeps numbers exactly as written. DynamoDB numbers have 38 digits of precision;
 * `JSON.parse` would round them to a double. Used for the plain-JSON view and editor of items.
 */

/** A JSON number kept as its source text, e.g. "12345678901234567890.000000001". */
export class JsonNumber {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | { [key: string]: LosslessJson };

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Parses JSON text; numbers become JsonNumber. Errors say where (line:column). */
export function parseLosslessJson(text: string): LosslessJson {
  let i = 0;
  const fail = (what: string): never => {
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const column = i - before.lastIndexOf('\n');
    throw new JsonSyntaxError(`${what} at line ${line}, column ${column}`, i);
  };
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      if (text.charCodeAt(i) < 0x20) fail('Control character in string');
      i++;
    }
    if (i >= text.length) fail('Unterminated string');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      i = start;
      return fail('Invalid string escape');
    }
  };
  const value = (depth: number): LosslessJson => {
    if (depth > 512) fail('Nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: LosslessJson } = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('Expected a property name in double quotes');
        const key = str();
        ws();
        if (text[i] !== ':') fail('Expected ":"');
        i++;
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`Duplicate key "${key}"`);
        Object.defineProperty(obj, key, {
          value: value(depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('Expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: LosslessJson[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('Expected "," or "]"');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) return ((i += 4), true);
    if (text.startsWith('false', i)) return ((i += 5), false);
    if (text.startsWith('null', i)) return ((i += 4), null);
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) {
      i += m[0].length;
      return new JsonNumber(m[0]);
    }
    return fail(i >= text.length ? 'Unexpected end of input' : `Unexpected character ${JSON.stringify(c)}`);
  };
  const result = value(0);
  ws();
  if (i < text.length) fail('Unexpected text after the value');
  return result;
}

/** Serialises lossless JSON; JsonNumber is written verbatim. */
export function stringifyLosslessJson(v: LosslessJson, indent = 2): string {
  const pad = (n: number) => (indent ? '\n' + ' '.repeat(indent * n) : '');
  const sep = indent ? ': ' : ':';
  const go = (x: LosslessJson, depth: number): string => {
    if (x === null) return 'null';
    if (x instanceof JsonNumber) return x.text;
    if (typeof x === 'string' || typeof x === 'boolean') return JSON.stringify(x);
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return '[' + x.map((e) => pad(depth + 1) + go(e, depth + 1)).join(',') + pad(depth) + ']';
    }
    const keys = Object.keys(x);
    if (keys.length === 0) return '{}';
    return (
      '{' +
      keys.map((k) => pad(depth + 1) + JSON.stringify(k) + sep + go(x[k]!, depth + 1)).join(',') +
      pad(depth) +
      '}'
    );
  };
  return go(v, 0);
}
