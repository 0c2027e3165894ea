// An instance that did not answer gets its apply queued, said the same way whoever asked (the app's apply,
// a fleet run, the CLI's `apply --queue`): the entry in queue.json and one status message.
import type { DesiredState } from '../../shared/domain/desired-state';
import type { QueueEntry } from '../../shared/workspace/schemas';
import { keepStatus, type EntraCheckRequest } from '../operations';
import type { Workspace } from '../workspace';
import type { OfflineQueue } from './offline-queue';

/** One sentence for an apply that waits in the queue: who, why, and that it runs by itself. */
export function queuedMessage(name: string, code: string | null): string {
  const why =
    code === 'hibernating'
      ? 'is hibernating'
      : code === 'timeout'
        ? 'did not answer in time'
        : 'could not be reached';
  return `${name} ${why}: the apply is queued and runs when it answers.`;
}

export async function queueUnreachable(
  queue: Pick<OfflineQueue, 'enqueue'>,
  workspace: Workspace,
  input: {
    instanceId: string;
    name: string;
    desired: DesiredState;
    code: string | null;
    /** Where the Entra app is checked when the apply runs; false: declined (kept with the entry). */
    entraCheck?: EntraCheckRequest;
  },
): Promise<{ entry: QueueEntry; message: string }> {
  const entry = await queue.enqueue(
    input.instanceId,
    input.desired,
    input.code ?? 'network',
    input.entraCheck !== undefined ? { entraCheck: input.entraCheck } : {},
  );
  const message = queuedMessage(input.name, input.code);
  // The instance is as it was (its status stays), with an apply waiting for it.
  await keepStatus(workspace, input.instanceId, { statusMessage: message });
  return { entry, message };
}
