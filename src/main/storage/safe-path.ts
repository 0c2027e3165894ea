// A workspace may come from a shared git repository, so its folders are untrusted: a committed symlink
// named instances.json (or instances/<id>) pointing at ~/.ssh/authorized_keys would make a write replace
// and chmod that file (write-file-atomic resolves links before writing). Every write first checks that
// the target and each folder between it and the workspace root are real files and folders inside it.
import { lstat, readlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { StorageError } from './errors';

export class UnsafePathError extends StorageError {
  constructor(
    file: string,
    readonly reason: string,
  ) {
    super(file, `Spokesmith did not write ${file}: ${reason}`);
    this.name = 'UnsafePathError';
  }
}

/**
 * Throws UnsafePathError unless `file` lies inside `root` and neither it nor any folder between them is a
 * symbolic link or something other than a folder / regular file. Parts that do not exist yet are fine
 * (they are created as real folders). `root` itself may be a link: where a user keeps the workspace is
 * their choice. Without a root only the file itself is checked.
 */
export async function assertSafeToWrite(file: string, root: string = dirname(file)): Promise<void> {
  const target = resolve(file);
  const base = resolve(root);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new UnsafePathError(target, `it is outside the folder ${base}.`);
  }
  const parts = rel.split(sep);
  let current = base;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    const isLast = index === parts.length - 1;
    let stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (stats.isSymbolicLink()) {
      const to = await readlink(current).catch(() => '?');
      throw new UnsafePathError(
        target,
        `${current} is a symbolic link (to ${to}). Spokesmith never writes through links in a workspace, ` +
          `since one can point outside it; replace the link with a real ${isLast ? 'file' : 'folder'}.`,
      );
    }
    if (!isLast && !stats.isDirectory()) {
      throw new UnsafePathError(target, `${current} is not a folder.`);
    }
    if (isLast && !stats.isFile()) {
      throw new UnsafePathError(target, `${current} is not a regular file.`);
    }
  }
}
