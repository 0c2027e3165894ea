// Many instances at once: which are selected, their plans (one review), "Apply all" with a progress bar
// per instance, and the outcome with the failed ones offered for retry. A queued outcome is followed
// through the offline queue until its apply finishes, so the screen ends with what really happened.
import type {
  FleetApplyItem,
  FleetApplyView,
  FleetPlanView,
  FleetProgressEvent,
  QueueItemView,
  QueueView,
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
  /** Instances the review found ready with something to write, or to queue until they answer. */
  applicable = $derived(
    (this.planView?.instances ?? [])
      .filter(
        (i) =>
          i.ready &&
          (i.plannedWhenAnswers === true ||
            (i.plan !== null && (i.counts ? i.counts.create + i.counts.update : 0) > 0)),
      )
      .map((i) => i.instanceId),
  );

  /** Stops following the queued outcomes (null when none are followed). */
  #unfollow: (() => void) | null = null;

  async plan(ids: string[] = this.selected): Promise<boolean> {
    if (ids.length === 0 || this.planning) return false;
    this.#stopFollowing();
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
    this.#stopFollowing();
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
    this.#followQueued();
  }

  retryFailed(ids: string[]): Promise<void> {
    return this.apply(ids);
  }

  /** Back to choosing instances (the last plan is dropped). */
  restart(): void {
    if (this.applying) return;
    this.#stopFollowing();
    this.stage = 'select';
    this.planView = null;
    this.outcomes = [];
    this.progress = {};
    this.running = [];
    this.applyError = null;
  }

  #queued(): FleetApplyItem[] {
    return this.outcomes.filter((o) => o.status === 'queued' && o.queueEntryId !== null);
  }

  /** Queued applies run later, from the offline queue: their progress and end come as its events. */
  #followQueued(): void {
    if (this.#queued().length === 0) return;
    const offProgress = api.onFleetProgress((event) => {
      if (this.#queued().some((o) => o.instanceId === event.instanceId))
        this.progress[event.instanceId] = event;
    });
    const offQueue = api.onQueueChanged((view) => this.#fromQueue(view));
    this.#unfollow = () => {
      offProgress();
      offQueue();
    };
    // A queued apply may have finished before we listened.
    void api.queueList({}).then((result) => {
      if (result.ok && this.#unfollow) this.#fromQueue(result.value);
    });
  }

  #stopFollowing(): void {
    this.#unfollow?.();
    this.#unfollow = null;
  }

  #fromQueue(view: QueueView): void {
    let changed = false;
    const outcomes = this.outcomes.map((o) => {
      const entry = view.items.find((i) => i.id === o.queueEntryId);
      if (o.status !== 'queued' || !entry || entry.status === 'waiting' || entry.status === 'running')
        return o;
      changed = true;
      const finished = finishedOutcome(o, entry);
      const last = this.progress[o.instanceId];
      this.progress[o.instanceId] = {
        instanceId: o.instanceId,
        phase: finished.ok ? 'done' : 'failed',
        step: last?.total ?? 0,
        total: last?.total ?? 0,
        message: finished.message,
      };
      return finished;
    });
    if (changed) this.outcomes = outcomes;
    if (this.#queued().length === 0) this.#stopFollowing();
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

/** A queued outcome once its apply has left the queue: done, failed, or cancelled by someone. */
function finishedOutcome(queued: FleetApplyItem, entry: QueueItemView): FleetApplyItem {
  if (entry.status === 'done') {
    return {
      ...queued,
      status: 'provisioned',
      ok: true,
      code: null,
      applyId: entry.applyId,
      message: 'Applied from the offline queue once the instance answered.',
    };
  }
  const cancelled = entry.status === 'cancelled';
  return {
    ...queued,
    status: cancelled ? 'cancelled' : 'failed',
    ok: false,
    applyId: entry.applyId,
    message: cancelled
      ? 'The queued apply was cancelled.'
      : `The queued apply failed: ${entry.lastError ?? 'no reason was given.'}`,
  };
}
