// Where the workspace is: the default folder in userData, or one the user chose (say, inside a git
// repository their team shares). The choice is remembered in the machine-local settings file and the
// workspace is reopened in place; modules that hold on to the workspace (the offline queue) are told.
import { isAbsolute, join, resolve } from 'node:path';
import type { FileProblem } from '../storage/json-file';
import { openWorkspace, type Workspace } from '../workspace';
import { AppError } from '../ipc/errors';
import { loadSettings, saveSettings, settingsFile } from './settings';

export interface WorkspaceHome {
  current(): Workspace;
  readonly defaultDir: string;
  isDefault(): boolean;
  /**
   * Problems to show beside the workspace's own (moved-aside files): a settings file that could not be
   * read, a chosen folder that could not be opened at start.
   */
  notes(): FileProblem[];
  /** Opens the workspace in `dir` (null: the default folder), remembers the choice and tells listeners. */
  switchTo(dir: string | null): Promise<Workspace>;
  /** Called after every switch, in order; the app waits for each. Returns the unsubscribe. */
  onSwitch(listener: (workspace: Workspace) => Promise<void> | void): () => void;
}

export async function openWorkspaceHome(options: {
  userDataDir: string;
  now: () => Date;
}): Promise<WorkspaceHome> {
  const defaultDir = join(options.userDataDir, 'workspace');
  const notes: FileProblem[] = [];
  const { settings, problem } = await loadSettings(options.userDataDir);
  if (problem) notes.push(problem);

  let workspace: Workspace;
  if (settings.workspaceDir) {
    try {
      workspace = await openWorkspace(settings.workspaceDir, { now: options.now });
    } catch (error) {
      // A folder on an unplugged drive, or one the user lost access to: start on the default one and say so.
      notes.push({
        file: settingsFile(options.userDataDir),
        reason: 'invalid',
        message: `The workspace folder ${settings.workspaceDir} could not be opened (${(error as Error).message}); the default folder is used instead.`,
        movedTo: null,
      });
      workspace = await openWorkspace(defaultDir, { now: options.now });
    }
  } else {
    workspace = await openWorkspace(defaultDir, { now: options.now });
  }

  const listeners: ((workspace: Workspace) => Promise<void> | void)[] = [];
  return {
    current: () => workspace,
    defaultDir,
    isDefault: () => resolve(workspace.dir) === resolve(defaultDir),
    notes: () => [...notes],
    async switchTo(dir) {
      const target = dir === null ? defaultDir : dir;
      if (!isAbsolute(target)) throw new AppError('invalid_input', 'Choose a folder by its full path.');
      let next: Workspace;
      try {
        next = await openWorkspace(target, { now: options.now });
      } catch (error) {
        throw new AppError(
          'invalid_input',
          `The folder ${target} cannot hold a workspace: ${(error as Error).message}`,
        );
      }
      await saveSettings(options.userDataDir, {
        workspaceDir: resolve(target) === resolve(defaultDir) ? null : resolve(target),
      });
      workspace = next;
      notes.length = 0;
      for (const listener of listeners) await listener(next);
      return next;
    },
    onSwitch(listener) {
      listeners.push(listener);
      return () => {
        const at = listeners.indexOf(listener);
        if (at >= 0) listeners.splice(at, 1);
      };
    },
  };
}
