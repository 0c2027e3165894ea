// Application state shared by the screens: the instances, the selected one, its last discovery, the plan
// under review and the apply in progress. Screens receive it as a prop.
import type {
  AppInfo,
  DiscoverView,
  InstanceView,
  PlanView,
  SnapshotView,
} from '../../../shared/ipc/contract';
import type { FieldIssue } from '../../../shared/domain/desired-state';
import { api } from './api';
import { ApplyState } from './apply.svelte';
import { FleetState } from './fleet.svelte';
import { loadFormRules } from './form-rules.svelte';
import { FormsState } from './forms.svelte';
import { QueueState } from './queue.svelte';
import { TemplatesState } from './templates.svelte';
import { WorkspaceState } from './workspace.svelte';

export type Screen =
  | 'instances'
  | 'connections'
  | 'review'
  | 'apply'
  | 'history'
  | 'fleet'
  | 'drift'
  | 'templates'
  | 'workspace';

/** The one-instance workflow, in order (the navigation numbers these steps). */
export const SCREENS: readonly { id: Screen; title: string }[] = [
  { id: 'instances', title: 'Instances' },
  { id: 'connections', title: 'Connections' },
  { id: 'review', title: 'Review' },
  { id: 'apply', title: 'Apply' },
  { id: 'history', title: 'History' },
];

/** Work on many instances at once, and the workspace they live in (not steps: no numbers). */
export const FLEET_SCREENS: readonly { id: Screen; title: string }[] = [
  { id: 'fleet', title: 'Fleet' },
  { id: 'drift', title: 'Drift' },
  { id: 'templates', title: 'Templates' },
  { id: 'workspace', title: 'Workspace' },
];

/**
 * Resolves after the next frame has been produced (a task after requestAnimationFrame), or after
 * FRAME_WAIT_MS when no frame comes: a window that is not shown yet may get no animation frames.
 */
export function afterFirstFrame(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(done, 0));
    setTimeout(done, FRAME_WAIT_MS);
  });
}
const FRAME_WAIT_MS = 100;

/** The demo instance first, then the customers' instances by name. */
export function sortInstances(list: InstanceView[]): InstanceView[] {
  return [...list].sort((a, b) => Number(b.isDemo) - Number(a.isDemo) || a.name.localeCompare(b.name));
}

export class AppState {
  screen = $state<Screen>('instances');
  info = $state.raw<AppInfo | null>(null);
  instances = $state.raw<InstanceView[]>([]);
  /** main has answered the instance list once: until then an empty list means "not known yet", not "none". */
  listed = $state(false);
  loadError = $state<string | null>(null);
  selectedId = $state<string | null>(null);
  /** The discovery made in this session, per instance. */
  discoveries = $state.raw<Record<string, DiscoverView>>({});
  /** The last stored snapshot per instance (read without network when an instance is selected). */
  storedSnapshots = $state.raw<Record<string, SnapshotView>>({});
  discovering = $state(false);
  discoverError = $state<string | null>(null);
  planView = $state.raw<PlanView | null>(null);
  planning = $state(false);
  planError = $state<string | null>(null);
  planIssues = $state.raw<FieldIssue[]>([]);
  /** Ticks every half minute so ages ("3 min ago") stay true. */
  now = $state(Date.now());

  forms = new FormsState();
  apply = new ApplyState();
  fleet = new FleetState();
  queue = new QueueState();
  templates = new TemplatesState();
  workspace = new WorkspaceState();

  selected = $derived(this.instances.find((i) => i.id === this.selectedId) ?? null);
  discovery = $derived(this.selectedId ? (this.discoveries[this.selectedId] ?? null) : null);
  storedSnapshot = $derived(this.selectedId ? (this.storedSnapshots[this.selectedId] ?? null) : null);

  async init(): Promise<void> {
    // The instance list is what the first screen shows: its request goes out at once, and the first
    // instance (the demo instance when there is one: it sorts first) is selected as soon as it answers, so
    // the list appears with its selection. The app info (the keychain warning), the workspace's problems
    // and the queue only add to that screen, so they are asked for once the first frame is out: sent with
    // it, their round trips competed with the first paint for the cores (issue 11; README, Benchmarks).
    const listed = this.refreshInstances().then(() => {
      const first = this.instances[0];
      if (first && !this.selectedId) return this.select(first.id);
    });
    await afterFirstFrame();
    await Promise.all([
      api.infoGet({}).then((result) => {
        if (result.ok) this.info = result.value;
      }),
      listed,
      this.workspace.load(),
      this.queue.load(),
    ]);
  }

  async refreshInstances(): Promise<void> {
    const list = await api.instancesList({});
    if (list.ok) {
      this.instances = sortInstances(list.value);
      this.loadError = null;
    } else this.loadError = list.message;
    this.listed = true;
  }

  async select(id: string): Promise<void> {
    if (this.selectedId === id) return;
    this.selectedId = id;
    this.planView = null;
    this.planIssues = [];
    this.planError = null;
    this.discoverError = null;
    this.apply.reset();
    this.forms.snapshot = this.discoveries[id]?.snapshot ?? null;
    await Promise.all([this.forms.load(id), this.loadStoredSnapshot(id)]);
  }

  /**
   * Reads the instance's last stored snapshot (no network), so the instance-aware checks work after a
   * restart without discovering again. A discovery made in this session wins over it.
   */
  async loadStoredSnapshot(id: string): Promise<void> {
    const result = await api.snapshotGet({ id });
    if (!result.ok) return;
    this.storedSnapshots = { ...this.storedSnapshots, [id]: result.value };
    if (this.selectedId === id && !this.discoveries[id] && result.value.snapshot)
      this.forms.snapshot = result.value.snapshot;
  }

  /**
   * Follows main's events for as long as the window shows this state: the queue's changes, and the
   * workspace changes other processes make (a CLI run adding an instance, say). Returns the unsubscribe.
   */
  subscribe(): () => void {
    const offQueue = this.queue.subscribe();
    const offWorkspace = api.onWorkspaceChanged(({ files }) => void this.showOtherProcessChanges(files));
    return () => {
      offQueue();
      offWorkspace();
    };
  }

  /**
   * Another process changed the workspace and main re-read it: reload the lists shown. Unlike a folder
   * switch, what the user is doing here (the selected instance, its forms, a discovery) stays, unless
   * the selected instance is gone. A write of the selected instance's draft goes to the forms, which tell
   * their own save from another process's.
   */
  async showOtherProcessChanges(files: readonly string[] = []): Promise<void> {
    await Promise.all([
      this.refreshInstances(),
      this.queue.load(),
      this.templates.load(),
      this.workspace.load(),
    ]);
    if (this.selectedId && !this.instances.some((i) => i.id === this.selectedId)) {
      this.selectedId = null;
      const first = this.instances[0];
      if (first) await this.select(first.id);
    } else if (this.selectedId && files.includes(`instances/${this.selectedId}/draft.json`)) {
      await this.forms.followStoredDraft();
    }
  }

  /** After the workspace folder changed: everything shown came from the old one. */
  async reloadWorkspace(): Promise<void> {
    this.discoveries = {};
    this.storedSnapshots = {};
    this.selectedId = null;
    this.fleet.restart();
    await Promise.all([this.refreshInstances(), this.queue.load(), this.templates.load()]);
    const first = this.instances[0];
    if (first) await this.select(first.id);
  }

  go(screen: Screen): void {
    this.screen = screen;
  }

  async discover(): Promise<void> {
    const id = this.selectedId;
    if (!id || this.discovering) return;
    this.discovering = true;
    this.discoverError = null;
    try {
      const result = await api.discoverRun({ id });
      if (result.ok) {
        this.discoveries = { ...this.discoveries, [id]: result.value };
        if (this.selectedId === id) this.forms.snapshot = result.value.snapshot;
      } else this.discoverError = result.message;
      await this.refreshInstances();
    } finally {
      this.discovering = false;
    }
  }

  /** Validates both forms; when clean, asks main for the plan and opens the review. */
  async reviewPlan(): Promise<boolean> {
    const id = this.selectedId;
    this.forms.submitted = true;
    // The rules load after the first screen (lib/form-rules.svelte.ts): a review never goes ahead unchecked.
    await loadFormRules();
    if (!id || !this.forms.canReview || this.planning) return false;
    this.planning = true;
    this.planError = null;
    this.planIssues = [];
    try {
      await this.forms.saveNow();
      // A secret typed but not yet sent: main needs it for the plan's "set / will be replaced / unchanged".
      if (this.forms.entra.secretInput && !(await this.forms.entra.saveSecret())) {
        this.planError = this.forms.entra.secretError ?? 'The client secret could not be stored.';
        return false;
      }
      const result = await api.planCreate({ id, ...this.forms.inputs });
      if (!result.ok) {
        this.planError = result.message;
        return false;
      }
      this.planIssues = result.value.issues;
      if (!result.value.plan) {
        this.planError = 'The plan could not be made: see the problems listed.';
        return false;
      }
      this.planView = result.value;
      this.go('review');
      return true;
    } finally {
      this.planning = false;
    }
  }

  async startApply(): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    this.go('apply');
    await this.apply.run(id, this.forms.inputs);
    const error = this.apply.error;
    if (error?.code === 'entra_check_failed')
      this.forms.entra.showApplyVerdict(error.message, error.entraField ?? null);
    if (error?.code === 'queued') await this.queue.load();
    await this.refreshInstances();
  }
}
