// Resume: finish an apply a dead process left unfinished (or, asked explicitly, take up the latest failed
// one again), under the instance's lock so a LIVE holder's journal is never taken for a crashed one.
import type { ApplyRecord } from '../../shared/domain/apply';
import { createApplyStore } from '../engine/apply-store';
import type { InstanceRun } from './apply';
import { keepStatus } from './bookkeeping';
import { registrySecretFor } from './entra';
import { withInstanceLock } from './lock';
import { loadWritePath } from './write-path';
import { statusFromRecord } from './status';

/** The id of the apply left unfinished in `dir` (with includeFailed: or the latest failed one). Local files only. */
export async function pendingApply(
  dir: string,
  options: { includeFailed?: boolean } = {},
): Promise<string | null> {
  const store = createApplyStore(dir);
  const pending = (await store.unfinished()) ?? (options.includeFailed ? await store.latestFailed() : null);
  return pending?.applyId ?? null;
}

/** The finished record, or null when there was nothing to resume. Throws OperationError `busy`. */
export async function resumeInstance(
  run: InstanceRun & { reopenFailed?: boolean },
): Promise<ApplyRecord | null> {
  const dir = run.workspace.instanceDir(run.instanceId);
  return withInstanceLock(
    dir,
    'resume',
    async () => {
      // A registry write still to send carries the client secret as the keychain holds it now.
      const registrySecret = registrySecretFor(run.secrets, run.instanceId);
      const { resumeApply } = await loadWritePath();
      const record = await resumeApply({
        ...(registrySecret ? { registrySecret } : {}),
        client: run.client,
        dir,
        ...(run.onApplyProgress ? { onProgress: run.onApplyProgress } : {}),
        ...(run.reopenFailed ? { reopenFailed: true } : {}),
      });
      if (record) await keepStatus(run.workspace, run.instanceId, statusFromRecord(record));
      return record;
    },
    run.lock,
  );
}
