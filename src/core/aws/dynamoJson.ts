import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { canonicalJson } from '../canonicalJson';
import { DrydockError } from '../errors';
import { JsonNumber, type LosslessJson } from './losslessJson';

/**
 * Items in three forms:
 * - SDK: `Record<string, AttributeValue>` (binary as Uint8Array), what the client sends and receives;
 * - DynamoDB JSON: the same with binary as base64 (`{"id":{"S":"a"},"n":{"N":"1"}}`), lossless;
 * - plain JSON: `{"id":"a","n":1}`; numbers keep every digit (JsonNumber), sets become arrays and
 *   binary becomes base64 text, so plain → DynamoDB turns arrays into lists and base64 into strings.
 * The one module for these conversions: the browser, the export, snapshots and drill checks use it.
 * A value of an unknown type (a newer SDK's `$unknown`) is never guessed at: the conversion throws.
 */
export type Item = Record<string, AttributeValue>;

/** DynamoDB JSON as the AWS CLI writes it (what snapshots store, one item per line). */
export type DynamoJsonValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, DynamoJsonValue> }
  | { L: DynamoJsonValue[] }
  | { NULL: true }
  | { BOOL: boolean };

export type DynamoJsonItem = Record<string, DynamoJsonValue>;

export interface ItemProblem {
  /** Where, as a dotted path: `price`, `tags.SS[2]`, `address.M.zip`. */
  path: string;
  message: string;
}

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;
type TypeTag = (typeof TYPES)[number];

/** The type tag of an attribute value (S, N, …); throws for a value of no known type. */
export function attributeType(v: AttributeValue): TypeTag {
  for (const t of TYPES) if ((v as unknown as Record<string, unknown>)[t] !== undefined) return t;
  throw new DrydockError(
    'invalid-input',
    `Unknown DynamoDB attribute value type: ${Object.keys(v).join(', ') || 'no type'}.`,
  );
}

/** DynamoDB's number rules: decimal, up to 38 significant digits, magnitude 1e-130 … <1e126. */
export function numberProblem(text: string): string | undefined {
  const m = /^\s*[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?\s*$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return `"${text}" is not a number`;
  const digits = ((m[1] ?? '') + (m[2] ?? '')).replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '');
  if (significant.length > 38) return `"${text}" has more than 38 significant digits`;
  if (significant.length === 0) return undefined; // zero
  // magnitude: the power of ten of the first significant digit
  const intLen = (m[1] ?? '').replace(/^0+/, '').length;
  const leadingFracZeros = /^0*/.exec(m[2] ?? '')![0].length;
  const exp = Number(m[3] ?? 0);
  const magnitude = intLen > 0 ? exp + intLen - 1 : exp - leadingFracZeros - 1;
  if (magnitude > 125) return `"${text}" is too large for DynamoDB (at most 9.99…E+125)`;
  if (magnitude < -130) return `"${text}" is too small for DynamoDB (at least 1E-130)`;
  return undefined;
}

const b64 = (u: Uint8Array): string => Buffer.from(u.buffer, u.byteOffset, u.byteLength).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** SDK item → DynamoDB JSON (JSON-serialisable, binary as base64). */
export function toDynamoJson(v: AttributeValue): DynamoJsonValue {
  switch (attributeType(v)) {
    case 'B':
      return { B: b64(v.B!) };
    case 'BS':
      return { BS: v.BS!.map(b64) };
    case 'M':
      return { M: itemToDynamoJson(v.M!) };
    case 'L':
      return { L: v.L!.map(toDynamoJson) };
    case 'S':
      return { S: v.S! };
    case 'N':
      return { N: v.N! };
    case 'SS':
      return { SS: [...v.SS!] };
    case 'NS':
      return { NS: [...v.NS!] };
    case 'BOOL':
      return { BOOL: v.BOOL! };
    case 'NULL':
      return { NULL: true };
  }
}

export function itemToDynamoJson(item: Item): DynamoJsonItem {
  const out: DynamoJsonItem = {};
  for (const [k, v] of Object.entries(item)) out[k] = toDynamoJson(v);
  return out;
}

/**
 * Stored DynamoDB JSON (a snapshot's item line) → SDK value. Trusts the shape only as far as the tag:
 * a value with no known type tag throws, naming where it is.
 */
export function storedToAttributeValue(v: DynamoJsonValue, path = ''): AttributeValue {
  const x = v as Partial<Record<TypeTag, unknown>>;
  if (typeof x.S === 'string') return { S: x.S };
  if (typeof x.N === 'string') return { N: x.N };
  if (typeof x.B === 'string') return { B: unb64(x.B) };
  if (Array.isArray(x.SS)) return { SS: [...(x.SS as string[])] };
  if (Array.isArray(x.NS)) return { NS: [...(x.NS as string[])] };
  if (Array.isArray(x.BS)) return { BS: (x.BS as string[]).map(unb64) };
  if (x.M !== null && typeof x.M === 'object') return { M: storedToItem(x.M as DynamoJsonItem, `${path}.M`) };
  if (Array.isArray(x.L))
    return { L: (x.L as DynamoJsonValue[]).map((e, i) => storedToAttributeValue(e, `${path}.L[${i}]`)) };
  if (x.NULL === true) return { NULL: true };
  if (typeof x.BOOL === 'boolean') return { BOOL: x.BOOL };
  throw new DrydockError(
    'invalid-input',
    `Unknown DynamoDB JSON value at ${path || 'the item'}: ${JSON.stringify(v).slice(0, 80)}`,
  );
}

/** A stored DynamoDB JSON item → SDK item (see `storedToAttributeValue`). */
export function storedToItem(item: DynamoJsonItem, path = ''): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = storedToAttributeValue(v, path ? `${path}.${k}` : k);
  return out;
}

/** A stable string for an item's key attributes (for diffs). */
export function keyString(item: DynamoJsonItem, keyNames: readonly string[]): string {
  return JSON.stringify(keyNames.map((k) => [k, item[k]]));
}

/** SDK value → plain JSON; numbers stay exact (JsonNumber). */
export function toPlain(v: AttributeValue): LosslessJson {
  switch (attributeType(v)) {
    case 'S':
      return v.S!;
    case 'N':
      return new JsonNumber(v.N!);
    case 'B':
      return b64(v.B!);
    case 'SS':
      return [...v.SS!];
    case 'NS':
      return v.NS!.map((n) => new JsonNumber(n));
    case 'BS':
      return v.BS!.map(b64);
    case 'M':
      return itemToPlain(v.M!);
    case 'L':
      return v.L!.map(toPlain);
    case 'BOOL':
      return v.BOOL!;
    case 'NULL':
      return null;
  }
}

export function itemToPlain(item: Item): { [key: string]: LosslessJson } {
  const out: { [key: string]: LosslessJson } = {};
  for (const [k, v] of Object.entries(item)) out[k] = toPlain(v);
  return out;
}

const isObject = (v: LosslessJson): v is { [key: string]: LosslessJson } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);

/** Plain JSON → SDK value. Numbers keep their digits; arrays become lists, objects maps. */
export function fromPlain(v: LosslessJson, path: string, problems: ItemProblem[]): AttributeValue {
  if (v === null) return { NULL: true };
  if (typeof v === 'boolean') return { BOOL: v };
  if (typeof v === 'string') return { S: v };
  if (v instanceof JsonNumber) {
    const p = numberProblem(v.text);
    if (p) problems.push({ path, message: p });
    return { N: v.text };
  }
  if (Array.isArray(v)) return { L: v.map((e, i) => fromPlain(e, `${path}[${i}]`, problems)) };
  const M: Item = {};
  for (const [k, e] of Object.entries(v)) M[k] = fromPlain(e, `${path}.${k}`, problems);
  return { M };
}

export function itemFromPlain(json: LosslessJson): { item: Item; problems: ItemProblem[] } {
  const problems: ItemProblem[] = [];
  if (!isObject(json))
    return { item: {}, problems: [{ path: '', message: 'An item must be a JSON object of attributes.' }] };
  const item: Item = {};
  for (const [k, v] of Object.entries(json)) item[k] = fromPlain(v, k, problems);
  return { item, problems };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function stringOrNumberText(v: LosslessJson): string | undefined {
  return typeof v === 'string' ? v : v instanceof JsonNumber ? v.text : undefined;
}

/** DynamoDB JSON → SDK value, collecting every problem with its path. */
export function fromDynamoJson(v: LosslessJson, path: string, problems: ItemProblem[]): AttributeValue {
  const bad = (message: string): AttributeValue => (problems.push({ path, message }), { NULL: true });
  if (!isObject(v)) return bad('Expected a typed value such as {"S": "text"} or {"N": "1"}.');
  const keys = Object.keys(v);
  if (keys.length !== 1 || !(TYPES as readonly string[]).includes(keys[0]!)) {
    return bad(`Expected exactly one of ${TYPES.join(', ')}; found ${keys.length ? keys.join(', ') : 'nothing'}.`);
  }
  const tag = keys[0] as TypeTag;
  const x = v[tag]!;
  const p = `${path}.${tag}`;
  switch (tag) {
    case 'S':
      return typeof x === 'string' ? { S: x } : bad('S must be a string.');
    case 'N': {
      const t = stringOrNumberText(x);
      if (t === undefined) return bad('N must be a number written as a string, e.g. "42".');
      const np = numberProblem(t);
      if (np) problems.push({ path: p, message: np });
      return { N: t.trim() };
    }
    case 'B':
      return typeof x === 'string' && BASE64.test(x) ? { B: Buffer.from(x, 'base64') } : bad('B must be base64 text.');
    case 'BOOL':
      return typeof x === 'boolean' ? { BOOL: x } : bad('BOOL must be true or false.');
    case 'NULL':
      return x === true ? { NULL: true } : bad('NULL must be true.');
    case 'SS':
    case 'NS':
    case 'BS': {
      if (!Array.isArray(x) || x.length === 0)
        return bad(`${tag} must be a non-empty array (DynamoDB has no empty sets).`);
      const texts = x.map((e, i) => {
        const t = tag === 'NS' ? stringOrNumberText(e) : typeof e === 'string' ? e : undefined;
        if (t === undefined)
          problems.push({
            path: `${p}[${i}]`,
            message: `Elements of ${tag} must be ${tag === 'NS' ? 'numbers' : 'strings'}.`,
          });
        else if (tag === 'NS' && numberProblem(t)) problems.push({ path: `${p}[${i}]`, message: numberProblem(t)! });
        else if (tag === 'BS' && !BASE64.test(t))
          problems.push({ path: `${p}[${i}]`, message: 'Elements of BS must be base64 text.' });
        return t ?? '';
      });
      const dupes = texts.filter((t, i) => texts.indexOf(t) !== i);
      if (dupes.length)
        problems.push({
          path: p,
          message: `A set holds each value once; duplicated: ${[...new Set(dupes)].join(', ')}.`,
        });
      if (tag === 'SS') return { SS: texts };
      if (tag === 'NS') return { NS: texts.map((t) => t.trim()) };
      return { BS: texts.map((t) => Buffer.from(t, 'base64')) };
    }
    case 'L':
      return Array.isArray(x)
        ? { L: x.map((e, i) => fromDynamoJson(e, `${p}[${i}]`, problems)) }
        : bad('L must be an array.');
    case 'M': {
      if (!isObject(x)) return bad('M must be an object.');
      const M: Item = {};
      for (const [k, e] of Object.entries(x)) M[k] = fromDynamoJson(e, `${p}.${k}`, problems);
      return { M };
    }
  }
}

export function itemFromDynamoJson(json: LosslessJson): { item: Item; problems: ItemProblem[] } {
  const problems: ItemProblem[] = [];
  if (!isObject(json))
    return { item: {}, problems: [{ path: '', message: 'An item must be a JSON object of attributes.' }] };
  const item: Item = {};
  for (const [k, v] of Object.entries(json)) item[k] = fromDynamoJson(v, k, problems);
  return { item, problems };
}

/** Checks an item against the table's key: every key attribute present with the declared type. */
export function keyProblems(item: Item, key: readonly { name: string; type: 'S' | 'N' | 'B' }[]): ItemProblem[] {
  const problems: ItemProblem[] = [];
  for (const k of key) {
    const v = item[k.name];
    if (!v) problems.push({ path: k.name, message: `The key attribute "${k.name}" is missing.` });
    else if (attributeType(v) !== k.type)
      problems.push({
        path: k.name,
        message: `The key attribute "${k.name}" must be of type ${k.type}, not ${attributeType(v)}.`,
      });
    else if ((k.type === 'S' && v.S === '') || (k.type === 'B' && v.B!.length === 0))
      problems.push({ path: k.name, message: `The key attribute "${k.name}" must not be empty.` });
  }
  return problems;
}

/** A short text for a grid cell. */
export function cellText(v: AttributeValue, max = 120): string {
  let text: string;
  switch (attributeType(v)) {
    case 'S':
      text = v.S!;
      break;
    case 'N':
      text = v.N!;
      break;
    case 'BOOL':
      text = String(v.BOOL);
      break;
    case 'NULL':
      text = 'null';
      break;
    case 'B':
      text = `<${v.B!.length} bytes>`;
      break;
    default: {
      const plain = toPlain(v);
      text = JSON.stringify(plain, (_k, x: unknown) => (x instanceof JsonNumber ? Number(x.text) : x));
    }
  }
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** The key of an item (only the key attributes), for delete and edit. */
export function keyOf(item: Item, keyNames: readonly string[]): Item {
  const key: Item = {};
  for (const n of keyNames) if (item[n]) key[n] = item[n]!;
  return key;
}

/** An item as canonical text: keys sorted at every depth and set members sorted (sets have no order). */
export function canonicalDynamoItem(item: DynamoJsonItem): string {
  const sortSets = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortSets);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o))
      out[k] = (k === 'SS' || k === 'NS' || k === 'BS') && Array.isArray(x) ? [...(x as string[])].sort() : sortSets(x);
    return out;
  };
  return canonicalJson(sortSets(item));
}
