import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { QueueEntry } from '../../../src/shared/workspace/schemas';

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

/** An offline-queue entry waiting to apply the default forms to `instanceId`. */
export function waitingQueueEntry(id: string, instanceId = 'acme'): QueueEntry {
  const desired = defaultDesiredState();
  return {
    id,
    instanceId,
    action: 'apply',
    desired: { main: desired.main, clientCred: desired.clientCred },
    reason: 'offline',
    status: 'waiting',
    requestedAt: '2026-03-01T10:00:00.000Z',
    attempts: 0,
    lastAttemptAt: null,
    nextAttemptAt: '2026-03-01T10:00:00.000Z',
    lastError: null,
    applyId: null,
    finishedAt: null,
  };
}
