import { mkdir } from 'node:fs/promises';
import * as tar from 'tar';

/** Unpacks a test archive (the test's own, trusted) into a directory. */
export async function extractTo(archive: string, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await tar.extract({ file: archive, cwd: dir });
}

/** Packs a snapshot directory plus an entry named `../evil.json`, as a hostile archive would hold. */
export async function packWithEscape(snapshotDir: string, target: string): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  const path = await import('node:path');
  await writeFile(path.join(path.dirname(snapshotDir), 'evil.json'), '{}');
  await tar.create({ gzip: true, file: target, cwd: snapshotDir, preservePaths: true }, [
    '../evil.json',
    'metadata',
    'drydock',
    'resources',
    'aws',
  ]);
}
