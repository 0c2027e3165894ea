// Every IPC channel of the contract, implemented on the app modules. No Electron here: main injects the
// dialogs, shell and event sender through AppDeps. The operations layer's errors become the contract's
// AppError here, in one place (same codes, same plain words), and so do the storage layer's refusals
// (a workspace file that is unreadable, from a newer version, linked elsewhere or locked too long).
import { AppError } from '../ipc/errors';
import type { IpcServices } from '../ipc/router';
import { OperationError } from '../operations';
import { StorageError } from '../storage/errors';
import { FileBusyError } from '../storage/update-file';
import { runApply, resumeApply } from './apply';
import { createAppContext } from './context';
import { runDiscover } from './discover';
import { getDraft, saveDraft } from './drafts';
import { exportReport, getHistoryRecord, listHistory } from './history';
import { listInstances, removeInstance, saveInstance, testInstance } from './instances';
import { appInfo, openLink, tokenStatus } from './misc';
import { createPlan, getSnapshot } from './plan';
import type { AppDeps } from './deps';
import { planRollback, runRollback } from './rollback';
import { checkDrift } from './drift';
import { applyFleet } from './fleet-apply';
import { planFleet } from './fleet-plan';
import { applyTemplate, listTemplates, removeTemplate, saveTemplate } from './templates';
import { exportList, importList } from './transfer';
import { chooseWorkspace, workspaceInfo } from './workspace-info';
import { checkEntra, entraStatus, forgetSecret, saveSecret, useDemoEntra } from './entra';
import { saveAppSettings, settingsView } from './entra-settings';
import { checkWalkup } from './walkup';

export function createAppServices(deps: AppDeps): IpcServices {
  const ctx = createAppContext(deps);
  return asAppErrors({
    'app:info:get': () => appInfo(ctx),
    'app:instances:list': () => listInstances(ctx),
    'app:instances:save': (input) => saveInstance(ctx, input),
    'app:instances:remove': ({ id }) => removeInstance(ctx, id),
    'app:instances:test': ({ id }) => testInstance(ctx, id),
    'app:drafts:get': ({ id }) => getDraft(ctx, id),
    'app:drafts:save': (input) => saveDraft(ctx, input),
    'app:discover:run': ({ id }) => runDiscover(ctx, id),
    'app:plan:create': (input) => createPlan(ctx, input),
    'app:apply:run': (input) => runApply(ctx, input),
    'app:apply:resume': ({ id }) => resumeApply(ctx, id),
    'app:rollback:plan': ({ id }) => planRollback(ctx, id),
    'app:rollback:run': ({ id }) => runRollback(ctx, id),
    'app:history:list': ({ id }) => listHistory(ctx, id),
    'app:history:get': ({ id, applyId }) => getHistoryRecord(ctx, id, applyId),
    'app:report:export': (input) => exportReport(ctx, input),
    'app:tokens:status': ({ id }) => tokenStatus(ctx, id),
    'app:links:open': (input) => openLink(ctx, input),
    'app:snapshot:get': ({ id }) => getSnapshot(ctx, id),
    'app:fleet:plan': ({ ids }) => planFleet(ctx, ids),
    'app:fleet:apply': (input) => applyFleet(ctx, input),
    'app:queue:list': async () => ctx.queue.view(),
    'app:queue:cancel': async ({ id }) => ({ cancelled: await ctx.queue.cancel(id) }),
    'app:queue:drain': async () => {
      await ctx.queue.drainNow();
      return ctx.queue.view();
    },
    'app:queue:clear': async () => {
      await ctx.queue.clearFinished();
      return ctx.queue.view();
    },
    'app:drift:check': ({ ids }) => checkDrift(ctx, ids),
    'app:templates:list': () => listTemplates(ctx),
    'app:templates:save': (input) => saveTemplate(ctx, input),
    'app:templates:remove': ({ name }) => removeTemplate(ctx, name),
    'app:templates:apply': (input) => applyTemplate(ctx, input),
    'app:transfer:export': (input) => exportList(ctx, input),
    'app:transfer:import': (input) => importList(ctx, input),
    'app:workspace:info': () => workspaceInfo(ctx),
    'app:workspace:choose': (input) => chooseWorkspace(ctx, input),
    'app:entra:status': ({ id }) => entraStatus(ctx, id),
    'app:entra:secret': (input) => saveSecret(ctx, input),
    'app:entra:forget': ({ id }) => forgetSecret(ctx, id),
    'app:entra:check': (input) => checkEntra(ctx, input),
    'app:entra:demo': ({ id }) => useDemoEntra(ctx, id),
    'app:walkup:check': (input) => checkWalkup(ctx, input),
    'app:settings:get': () => settingsView(ctx),
    'app:settings:save': (input) => saveAppSettings(ctx, input),
  });
}

/** A workspace file the app cannot use is the user's to fix, not a bug: the message names the file. */
function storageAppError(error: StorageError): AppError {
  // Another process held the file's lock too long: trying again is the answer, as for an instance lock.
  const code = error instanceof FileBusyError ? 'busy' : 'invalid_input';
  return new AppError(code, error.message, { file: error.file });
}

/**
 * Every service answers an OperationError as the AppError with its code, message and details, and a
 * StorageError as one naming the file (instead of `internal`).
 */
function asAppErrors(services: IpcServices): IpcServices {
  const wrapped: Record<string, (input: never) => Promise<unknown>> = {};
  for (const [channel, service] of Object.entries(services) as [
    string,
    (input: never) => Promise<unknown>,
  ][]) {
    wrapped[channel] = async (input) => {
      try {
        return await service(input);
      } catch (error) {
        if (error instanceof OperationError) throw new AppError(error.code, error.message, error.details);
        if (error instanceof StorageError) throw storageAppError(error);
        throw error;
      }
    };
  }
  return wrapped as unknown as IpcServices;
}
