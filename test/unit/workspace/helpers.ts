import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempDir(
  prefix = 'spokesmith-ws-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const ACME = {
  name: 'ACME production',
  url: 'https://acme.service-now.com',
  authMethod: 'basic' as const,
  username: 'admin',
};
