// Many instances at once: which are selected, their plans (one review), "Apply all" with a progress bar
// per instance, and the outcome with the failed ones offered for retry.
import type {
  FleetApplyItem,
  FleetApplyView,
  FleetPlanView,
  FleetProgressEvent,
} from '../../../shared/ipc/contract';
import { api } from './api';

export type FleetStage = 'select' | 'review' | 'applying' | 'done';

export class FleetState {
  selected = $state<string[]>([]);
  stage = $state<FleetStage>('select');
  planning = $state(false);
  planError = $state<string | null>(null);
  planView = $state.raw<FleetPlanView | null>(null);
  applyError = $state<string | null>(null);
  /** The latest event per instance of the run in progress (or the last one). */
  progress = $state<Record<string, FleetProgressEvent>>({});
  /** Ids of the run in progress (or the last one), in order. */
  running = $state<string[]>([]);
  /** Outcomes per instance, across the first run and any retries. */
  outcomes = $state.raw<FleetApplyItem[]>([]);

  applying = $derived(this.stage === 'applying');
  /** Instances the review found ready with something to write. */
  applicable = $derived(
    (this.planView?.instances ?? [])
      .filter((i) => i.ready && i.plan !== null && (i.counts ? i.counts.create + i.counts.update : 0) > 0)
      .map((i) => i.instanceId),
  );

  async plan(ids: string[] = this.selected): Promise<boolean> {
    if (ids.length === 0 || this.planning) return false;
    this.planning = true;
    this.planError = null;
    try {
      const result = await api.fleetPlan({ ids });
      if (!result.ok) {
        this.planError = result.message;
        return false;
      }
      this.planView = result.value;
      this.outcomes = [];
      this.progress = {};
      this.running = [];
      this.stage = 'review';
      return true;
    } finally {
      this.planning = false;
    }
  }

  /** Applies to the given instances (all applicable ones by default) and records the outcomes. */
  async apply(ids: string[] = this.applicable): Promise<void> {
    if (ids.length === 0 || this.applying) return;
    this.stage = 'applying';
    this.applyError = null;
    this.running = ids;
    const progress: Record<string, FleetProgressEvent> = {};
    for (const id of ids)
      progress[id] = { instanceId: id, phase: 'waiting', step: 0, total: 0, message: 'Waiting' };
    this.progress = progress;
    const unsubscribe = api.onFleetProgress((event) => {
      if (this.running.includes(event.instanceId)) this.progress[event.instanceId] = event;
    });
    try {
      const result = await api.fleetApply({ ids });
      if (result.ok) this.#merge(result.value);
      else this.applyError = result.message;
    } finally {
      unsubscribe();
      this.stage = 'done';
    }
  }

  retryFailed(ids: string[]): Promise<void> {
    return this.apply(ids);
  }

  /** Back to choosing instances (the last plan is dropped). */
  restart(): void {
    if (this.applying) return;
    this.stage = 'select';
    this.planView = null;
    this.outcomes = [];
    this.progress = {};
    this.running = [];
    this.applyError = null;
  }

  #merge(view: FleetApplyView): void {
    const retried = view.outcomes.map((o) => o.instanceId);
    const kept = this.outcomes.filter((o) => !retried.includes(o.instanceId));
    const order = this.planView?.instances.map((i) => i.instanceId) ?? [];
    this.outcomes = [...kept, ...view.outcomes].sort(
      (a, b) => order.indexOf(a.instanceId) - order.indexOf(b.instanceId),
    );
  }
}
