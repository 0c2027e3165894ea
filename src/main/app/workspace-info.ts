// Which folder the workspace is in and what was wrong with its files (each moved aside, naming the file
// and the problem), and pointing it at another folder, e.g. inside a team's git repository.
import type { WorkspaceChooseView, WorkspaceInfoView } from '../../shared/ipc/contract';
import type { AppContext } from './context';

export async function workspaceInfo(ctx: AppContext): Promise<WorkspaceInfoView> {
  const store = ctx.home.current();
  return {
    dir: store.dir,
    isDefault: ctx.home.isDefault(),
    problems: [...ctx.home.notes(), ...store.problems].map((p) => ({
      file: p.file,
      reason: p.reason,
      message: p.message,
      movedTo: p.movedTo,
    })),
  };
}

export async function chooseWorkspace(
  ctx: AppContext,
  input: { useDefault?: boolean },
): Promise<WorkspaceChooseView> {
  const dir = input.useDefault ? null : await ctx.chooseFolder(ctx.home.current().dir);
  if (!input.useDefault && dir === null) return { ...(await workspaceInfo(ctx)), changed: false };
  const before = ctx.home.current().dir;
  await ctx.home.switchTo(dir);
  ctx.logger.info('Workspace folder changed', { isDefault: ctx.home.isDefault() });
  return { ...(await workspaceInfo(ctx)), changed: ctx.home.current().dir !== before };
}
