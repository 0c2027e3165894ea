// The offline queue and each instance's network state, as main reports them (`app:queue:changed` keeps
// it current), shown by the header indicator and the queue list.
import type { NetworkStateView, QueueItemView, QueueView } from '../../../shared/ipc/contract';
import { api } from './api';

export const QUEUE_STATUS_LABELS: Record<QueueItemView['status'], string> = {
  waiting: 'Waiting',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Plain words for why an apply waits (the last failure's code, or `offline` / `requested`). */
export function queueReason(code: string): string {
  switch (code) {
    case 'offline':
      return 'This computer was offline.';
    case 'network':
      return 'The instance could not be reached.';
    case 'timeout':
      return 'The instance did not answer in time.';
    case 'hibernating':
      return 'The instance is hibernating: wake it from the developer portal.';
    case 'requested':
      return 'Queued on request.';
    default:
      return code;
  }
}

export class QueueState {
  items = $state.raw<QueueItemView[]>([]);
  network = $state.raw<NetworkStateView[]>([]);
  error = $state<string | null>(null);
  open = $state(false);
  draining = $state(false);

  /** Applies still to run (waiting, or running now). */
  pending = $derived(this.items.filter((i) => i.status === 'waiting' || i.status === 'running'));
  unreachable = $derived(this.network.filter((n) => n.reachable === false));

  set(view: QueueView): void {
    this.items = view.items;
    this.network = view.network;
  }

  async load(): Promise<void> {
    const result = await api.queueList({});
    if (result.ok) {
      this.set(result.value);
      this.error = null;
    } else this.error = result.message;
  }

  /** Follows main's changes; returns the unsubscribe. */
  subscribe(): () => void {
    return api.onQueueChanged((view) => this.set(view));
  }

  /** Probes every waiting instance now (ignoring the backoff); those that answer run their apply. */
  async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      const result = await api.queueDrain({});
      if (result.ok) {
        this.set(result.value);
        this.error = null;
      } else this.error = result.message;
    } finally {
      this.draining = false;
    }
  }

  async cancel(entryId: string): Promise<void> {
    const result = await api.queueCancel({ id: entryId });
    await this.load(); // the list as it is now, whether or not the cancel came in time
    if (!result.ok) this.error = result.message;
    else if (!result.value.cancelled)
      this.error = 'That apply is no longer waiting: it could not be cancelled.';
  }

  /** The queued apply of an instance, if one waits. */
  pendingFor(instanceId: string): QueueItemView | null {
    return this.pending.find((i) => i.instanceId === instanceId) ?? null;
  }
}
