import { lstat, readdir } from 'node:fs/promises';
import * as path from 'node:path';

/** Bytes of the regular files under `dir` (0 when it is gone); a file removed while walking counts as 0. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    try {
      const st = await lstat(path.join(dir, e));
      if (st.isFile()) total += st.size;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
