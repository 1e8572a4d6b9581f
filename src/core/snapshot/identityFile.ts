import { chmod, readFile, writeFile } from 'node:fs/promises';
import { DrydockError } from '../errors';
import { generateSnapshotIdentity, recipientOf } from './secretCrypto';

/**
 * An age identity file, as `age-keygen` writes it: `#` comment lines and one `AGE-SECRET-KEY-1…` line.
 * Secrets encrypted to it need no passphrase (and no scrypt): the file is the key, for CI and scripts.
 */
export async function readIdentityFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DrydockError(
      'not-found',
      `Cannot read the age identity file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      { cause: error },
    );
  }
  const keys = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (keys.length !== 1 || !/^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(keys[0]!)) {
    throw new DrydockError(
      'invalid-input',
      `${file} is not an age identity file: expected exactly one AGE-SECRET-KEY-1… line (comments start with #), found ${keys.length} other line(s).`,
    );
  }
  try {
    await recipientOf(keys[0]!);
  } catch (error) {
    throw new DrydockError(
      'invalid-input',
      `${file}: the AGE-SECRET-KEY line is not a valid age X25519 identity (${(error as Error).message}).`,
      { cause: error },
    );
  }
  return keys[0]!;
}

/**
 * Writes an identity file (owner-only), refusing to overwrite one; returns its public recipient. The
 * identity is a new one unless given (the extension saving its own for the CLI).
 */
export async function writeIdentityFile(file: string, identity?: string, now = new Date()): Promise<string> {
  identity ??= await generateSnapshotIdentity();
  const recipient = await recipientOf(identity);
  try {
    await writeFile(file, `# created: ${now.toISOString()}\n# public key: ${recipient}\n${identity}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new DrydockError('conflict', `${file} already exists; not overwriting a key.`);
    throw error;
  }
  await chmod(file, 0o600);
  return recipient;
}
