// Writes a user-chosen file atomically (temporary file, fsync, rename), so a crash never leaves half a report.
import writeFileAtomic from 'write-file-atomic';

export async function writeFileAtomicText(path: string, text: string): Promise<void> {
  await writeFileAtomic(path, text, { fsync: true, mode: 0o644 });
}
