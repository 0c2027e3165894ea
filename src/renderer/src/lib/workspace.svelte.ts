// The workspace folder: where it is, pointing it elsewhere (e.g. a git repository shared by a team), and
// the files that could not be read and were moved aside.
import type { WorkspaceInfoView } from '../../../shared/ipc/contract';
import { api } from './api';

export class WorkspaceState {
  info = $state.raw<WorkspaceInfoView | null>(null);
  error = $state<string | null>(null);
  choosing = $state(false);
  /** The banner was dismissed for the problems it showed; new problems show it again. */
  dismissedCount = $state(0);

  problems = $derived(this.info?.problems ?? []);
  bannerProblems = $derived(this.problems.length > this.dismissedCount ? this.problems : []);

  async load(): Promise<void> {
    const result = await api.workspaceInfo({});
    if (result.ok) {
      this.info = result.value;
      this.error = null;
    } else this.error = result.message;
  }

  dismiss(): void {
    this.dismissedCount = this.problems.length;
  }

  /** Asks main for a folder (or the default one); true when the workspace changed. */
  async choose(useDefault = false): Promise<boolean> {
    this.choosing = true;
    this.error = null;
    try {
      const result = await api.workspaceChoose(useDefault ? { useDefault: true } : {});
      if (!result.ok) {
        this.error = result.message;
        return false;
      }
      if (!result.value.changed) return false;
      const { changed: _changed, ...info } = result.value;
      this.info = info;
      this.dismissedCount = 0;
      return true;
    } finally {
      this.choosing = false;
    }
  }
}
