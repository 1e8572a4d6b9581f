/**
 * Small checks for messages that cross the webview boundary. Both sides import them; neither trusts
 * what arrives. Each returns undefined when the value does not have the expected shape.
 */
export type Fields = Record<string, unknown>;

export const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

export function optString(v: unknown, maxLength = 1_000_000): string | undefined | null {
  if (v === undefined) return undefined;
  return typeof v === 'string' && v.length <= maxLength ? v : null;
}

export function optInt(v: unknown, min: number, max: number): number | undefined | null {
  if (v === undefined) return undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : null;
}

export function oneOf<T extends string>(v: unknown, values: readonly T[]): T | undefined {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** The result of reading a message: the typed message, or why it was refused. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const refuse = (error: string): { ok: false; error: string } => ({ ok: false, error });
export const accept = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
