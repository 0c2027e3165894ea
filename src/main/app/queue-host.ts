// The offline queue in the app: one OfflineQueue on the current workspace, started with the app, stopped
// on close, and rebuilt when the workspace is pointed at another folder. Every change (entries, network
// state) reaches the window as `app:queue:changed`; queued applies report progress as `app:fleet:progress`.
import type { DesiredState } from '../../shared/domain/desired-state';
import type { QueueItemView, QueueView } from '../../shared/ipc/contract';
import type { QueueEntry } from '../../shared/workspace/schemas';
import { createOfflineQueue, type OfflineQueue, type QueueSchedule, type Reachability } from '../fleet';
import type { ServiceNowClient } from '../servicenow';
import type { SecretStore } from '../secrets/secret-store';
import type { Workspace } from '../workspace';
import type { AppLogger, EmitEvent } from './deps';
import type { WorkspaceHome } from './workspace-home';

export interface QueueHost {
  view(): QueueView;
  /** Queues an apply without trying first (the caller just saw the instance not answer). */
  enqueue(instanceId: string, desired: DesiredState, reason: string): Promise<QueueEntry>;
  cancel(entryId: string): Promise<boolean>;
  /** Records whether an instance answered, learned outside the queue (plan, apply, discover). */
  report(instanceId: string, reach: Reachability): void;
  /**
   * An apply asked for now supersedes the one waiting for the same instance (which may hold older forms
   * and would otherwise overwrite it later): the waiting one is cancelled. Answers whether a queued apply
   * is running on the instance right now, in which case the caller must not start another.
   */
  supersede(instanceId: string): Promise<{ running: boolean }>;
  /** Probes every waiting instance now, ignoring the backoff, and runs those that answer. */
  drainNow(): Promise<void>;
  clearFinished(): Promise<void>;
  /** Another process changed queue.json and the workspace re-read it: reschedule and tell the window. */
  reloaded(): void;
  start(): void;
  stop(): Promise<void>;
}

export interface QueueHostOptions {
  home: WorkspaceHome;
  connect(instanceId: string): Promise<ServiceNowClient>;
  emit: EmitEvent;
  logger: AppLogger;
  now: () => Date;
  /** The keychain: a queued apply with an Entra app reads its client secret when it runs (issue 10). */
  secrets: SecretStore;
  /** Probe backoff (default: the queue's 5 s doubling up to 5 min). */
  backoff?: { initialMs: number; maxMs: number };
  probe?: (client: ServiceNowClient) => Promise<Reachability>;
  /** When the queue's backoff timer runs (default: a real timer). */
  schedule?: QueueSchedule;
}

export function createQueueHost(options: QueueHostOptions): QueueHost {
  let started = false;
  let unsubscribe: () => void = () => undefined;

  const build = (workspace: Workspace): OfflineQueue => {
    const created = createOfflineQueue({
      workspace,
      connect: options.connect,
      now: options.now,
      secrets: options.secrets,
      writesPerInstance: 1,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.probe ? { probe: options.probe } : {}),
      ...(options.schedule ? { schedule: options.schedule } : {}),
    });
    unsubscribe = created.on((event) => {
      if (event.type === 'progress') {
        options.emit('app:fleet:progress', event.progress);
        return;
      }
      if (event.type === 'finished') {
        options.logger.info('Queued apply finished', {
          instanceId: event.entry.instanceId,
          status: event.outcome.status,
        });
      }
      options.emit('app:queue:changed', host.view());
    });
    return created;
  };
  let queue = build(options.home.current());

  options.home.onSwitch(async (workspace) => {
    // Finish what runs on the old workspace (it writes there), then serve the new one.
    unsubscribe();
    await queue.stop();
    queue = build(workspace);
    if (started) queue.start();
    options.emit('app:queue:changed', host.view());
  });

  const host: QueueHost = {
    view() {
      const workspace = options.home.current();
      const items: QueueItemView[] = queue.list().map((entry) => ({
        id: entry.id,
        instanceId: entry.instanceId,
        instanceName: workspace.instances.get(entry.instanceId)?.name ?? entry.instanceId,
        status: entry.status,
        reason: entry.reason,
        requestedAt: entry.requestedAt,
        attempts: entry.attempts,
        lastAttemptAt: entry.lastAttemptAt,
        nextAttemptAt: entry.nextAttemptAt,
        lastError: entry.lastError,
        applyId: entry.applyId,
        finishedAt: entry.finishedAt,
      }));
      return { items, network: queue.network() };
    },
    enqueue: (instanceId, desired, reason) => queue.enqueue(instanceId, desired, reason),
    cancel: (entryId) => queue.cancel(entryId),
    report: (instanceId, reach) => queue.report(instanceId, reach),
    async supersede(instanceId) {
      const mine = queue.list().filter((e) => e.instanceId === instanceId);
      let running = mine.some((e) => e.status === 'running');
      for (const entry of mine.filter((e) => e.status === 'waiting')) {
        // cancel() refuses an entry whose attempt is in flight: treat it as running.
        if (!(await queue.cancel(entry.id))) running = true;
      }
      return { running };
    },
    async drainNow() {
      await queue.drainNow();
    },
    clearFinished: () => queue.clearFinished(),
    reloaded: () => queue.reloaded(),
    start() {
      started = true;
      queue.start();
    },
    async stop() {
      started = false;
      await queue.stop();
    },
  };
  return host;
}
