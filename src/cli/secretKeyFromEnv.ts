import { readIdentityFile } from '../core/snapshot/identityFile';
import type { SecretKeySource } from '../core/snapshot';

/**
 * The key for a snapshot's Secrets, from the environment: an age identity file
 * (DRYDOCK_SNAPSHOT_IDENTITY_FILE, no passphrase and no scrypt) or a passphrase (DRYDOCK_SNAPSHOT_PASSPHRASE).
 */
export async function secretKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<SecretKeySource | undefined> {
  const file = env.DRYDOCK_SNAPSHOT_IDENTITY_FILE;
  if (file) return { identity: await readIdentityFile(file) };
  const passphrase = env.DRYDOCK_SNAPSHOT_PASSPHRASE;
  return passphrase ? { passphrase } : undefined;
}
