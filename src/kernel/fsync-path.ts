// Flushes a file or a directory (a rename or a new entry in it) to the disk, through a descriptor opened for it.
import { open } from 'node:fs/promises';

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
