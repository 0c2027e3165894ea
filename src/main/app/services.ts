// Every IPC channel of the contract, implemented on the app modules. No Electron here: main injects the
// dialogs, shell and event sender through AppDeps.
import { AppError } from '../ipc/errors';
import type { IpcServices } from '../ipc/router';
import { runApply, resumeApply } from './apply';
import { createAppContext } from './context';
import { runDiscover } from './discover';
import { getDraft, saveDraft } from './drafts';
import { exportReport, getHistoryRecord, listHistory } from './history';
import { listInstances, removeInstance, saveInstance, testInstance } from './instances';
import { appInfo, openLink, tokenStatus } from './misc';
import { createPlan } from './plan';
import type { AppDeps } from './ports';
import { planRollback, runRollback } from './rollback';

// Temporary while the services behind the wave-2 channels are written.
const notYet = async (): Promise<never> => {
  throw new AppError('not_ready', 'Not available yet.');
};

export function createAppServices(deps: AppDeps): IpcServices {
  const ctx = createAppContext(deps);
  return {
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
    'app:snapshot:get': notYet,
    'app:fleet:plan': notYet,
    'app:fleet:apply': notYet,
    'app:queue:list': notYet,
    'app:queue:cancel': notYet,
    'app:queue:drain': notYet,
    'app:queue:clear': notYet,
    'app:drift:check': notYet,
    'app:templates:list': notYet,
    'app:templates:save': notYet,
    'app:templates:remove': notYet,
    'app:templates:apply': notYet,
    'app:transfer:export': notYet,
    'app:transfer:import': notYet,
    'app:workspace:info': notYet,
    'app:workspace:choose': notYet,
  };
}
