// Showing what other processes changed: the app, CLI runs and scripts may share one workspace (issue 8),
// so the app watches the current workspace folder (Workspace.watch re-reads the files first), tells the
// offline queue, and sends `app:workspace:changed` so the window reloads its lists. Pointing the app at
// another folder moves the watch there.
import type { AppLogger, EmitEvent } from './deps';
import type { QueueHost } from './queue-host';
import type { WorkspaceHome } from './workspace-home';

export function followWorkspaceChanges(options: {
  home: WorkspaceHome;
  queue: QueueHost;
  emit: EmitEvent;
  logger: AppLogger;
}): () => void {
  const { home, queue, emit, logger } = options;
  const follow = () =>
    home.current().watch(({ files }) => {
      logger.info('Workspace changed by another process', { files });
      // The queue's entries come from the re-read file: it reschedules and tells the window itself.
      queue.reloaded();
      emit('app:workspace:changed', { files });
    });
  let unwatch = follow();
  const offSwitch = home.onSwitch(() => {
    unwatch();
    unwatch = follow();
  });
  return () => {
    offSwitch();
    unwatch();
  };
}
