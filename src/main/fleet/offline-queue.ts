// Applies that wait for an instance to answer. An apply requested while the computer is offline, or while
// the instance hibernates or times out, is stored in the workspace (queue.json) and runs once a cheap
// probe says the instance answers again, probing with capped exponential backoff. The queue and each
// instance's network state are observable, so the UI and CLI can show what waits and why.
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { DesiredState } from '../../shared/domain/desired-state';
import type { QueueEntry } from '../../shared/workspace/schemas';
import {
  applyInstance,
  DEFAULT_CONCURRENCY,
  type ApplyOutcome as InstanceOutcome,
  type LockOptions,
  type OperationProgress as FleetProgress,
} from '../operations';
import type { ServiceNowClient } from '../servicenow';
import type { Workspace } from '../workspace';
import { backoffDelay, probeInstance, type Reachability } from './reachability';
import { limitWrites } from './write-limit';

export interface NetworkState {
  instanceId: string;
  reachable: boolean | null;
  code: string | null;
  message: string | null;
  checkedAt: string | null;
}

export type QueueEvent =
  | { type: 'changed'; entries: QueueEntry[] }
  | { type: 'network'; state: NetworkState }
  | { type: 'finished'; entry: QueueEntry; outcome: InstanceOutcome }
  | { type: 'progress'; progress: FleetProgress };

export interface OfflineQueueOptions {
  workspace: Workspace;
  /** Opens a client for an instance (its secret comes from the keychain); the queue closes it after use. */
  connect(instanceId: string): Promise<ServiceNowClient>;
  probe?: (client: ServiceNowClient) => Promise<Reachability>;
  /** Probe backoff; default 5 s doubling up to 5 min. */
  backoff?: { initialMs: number; maxMs: number };
  /** Queued applies run at the same time (default DEFAULT_CONCURRENCY). */
  concurrency?: number;
  /** The instance lock's wait and stale times (tests shorten them). */
  lock?: LockOptions;
  writesPerInstance?: 1 | 2;
  now?: () => Date;
  random?: () => number;
  /**
   * Runs `run` after `delayMs` and answers a cancel. Defaults to an unref'd setTimeout; a test that drives
   * the queue by hand (drainNow) passes one that never fires, so the backoff cannot race its assertions.
   */
  schedule?: QueueSchedule;
}

export type QueueSchedule = (run: () => void, delayMs: number) => () => void;

const realSchedule: QueueSchedule = (run, delayMs) => {
  const timer = setTimeout(run, delayMs);
  // Waiting for an instance must never keep the process alive on its own.
  timer.unref();
  return () => clearTimeout(timer);
};

export interface OfflineQueue {
  list(): QueueEntry[];
  network(): NetworkState[];
  /**
   * Records what a caller outside the queue just learned about an instance (a plan, an apply or a
   * discovery that reached it or not), so the network state is current before the next probe. An answer
   * from an instance not known to be unreachable changes nothing.
   */
  report(instanceId: string, reach: Reachability): void;
  /** Subscribes to changes; returns the unsubscribe. */
  on(listener: (event: QueueEvent) => void): () => void;
  /** Applies now when the instance answers; queues the apply when it does not. */
  requestApply(
    instanceId: string,
    desired: DesiredState,
  ): Promise<{ queued: true; entry: QueueEntry } | { queued: false; outcome: InstanceOutcome }>;
  /** Queues without trying first (e.g. the app knows it is offline). One waiting apply per instance: the latest wins. */
  enqueue(instanceId: string, desired: DesiredState, reason: string): Promise<QueueEntry>;
  cancel(entryId: string): Promise<boolean>;
  /** Removes finished (done, failed, cancelled) entries. */
  clearFinished(): Promise<void>;
  /** Probes every waiting instance now (ignoring backoff) and runs the applies of those that answer. */
  drainNow(): Promise<InstanceOutcome[]>;
  /** Starts the backoff timers; stop() clears them (entries stay stored). */
  start(): void;
  stop(): Promise<void>;
}

const DEFAULT_BACKOFF = { initialMs: 5_000, maxMs: 5 * 60_000 };

export function createOfflineQueue(options: OfflineQueueOptions): OfflineQueue {
  const now = options.now ?? (() => new Date());
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const probe = options.probe ?? probeInstance;
  const scheduleRun = options.schedule ?? realSchedule;
  const limit = pLimit(Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY));
  const listeners = new Set<(event: QueueEvent) => void>();
  const network = new Map<string, NetworkState>();
  const inFlight = new Map<string, Promise<InstanceOutcome | null>>();
  let cancelTimer: (() => void) | null = null;
  let started = false;

  // An entry left `running` means Spokesmith stopped mid-apply: it waits again, and its next run
  // resumes the engine's journal before planning afresh.
  const stored = options.workspace.queue.read();
  const interrupted = stored.some((e) => e.status === 'running');
  let entries: QueueEntry[] = stored.map((e) =>
    e.status === 'running'
      ? {
          ...e,
          status: 'waiting',
          nextAttemptAt: now().toISOString(),
          lastError: 'Interrupted while applying; it resumes when the instance answers.',
        }
      : e,
  );

  const emit = (event: QueueEvent) => {
    for (const listener of listeners) listener(event);
  };
  const persist = async () => {
    await options.workspace.queue.write(entries);
    emit({ type: 'changed', entries: entries.map((e) => ({ ...e })) });
    schedule();
  };
  const update = async (id: string, patch: Partial<QueueEntry>) => {
    entries = entries.map((e) => (e.id === id ? { ...e, ...patch } : e));
    await persist();
    return entries.find((e) => e.id === id)!;
  };
  const setNetwork = (instanceId: string, result: Reachability) => {
    const state: NetworkState = {
      instanceId,
      reachable: result.reachable,
      code: result.reachable ? null : result.code,
      message: result.reachable ? null : result.message,
      checkedAt: now().toISOString(),
    };
    network.set(instanceId, state);
    emit({ type: 'network', state });
  };

  function schedule() {
    cancelTimer?.();
    cancelTimer = null;
    if (!started) return;
    const due = entries
      .filter((e) => e.status === 'waiting' && !inFlight.has(e.id))
      .map((e) => Date.parse(e.nextAttemptAt ?? e.requestedAt));
    if (!due.length) return;
    const delay = Math.max(0, Math.min(...due) - now().getTime());
    cancelTimer = scheduleRun(() => void drainDue(false), delay);
  }

  async function drainDue(force: boolean): Promise<InstanceOutcome[]> {
    const at = now().getTime();
    const due = entries.filter(
      (e) =>
        e.status === 'waiting' &&
        !inFlight.has(e.id) &&
        (force || Date.parse(e.nextAttemptAt ?? e.requestedAt) <= at),
    );
    const results = await Promise.all(due.map((e) => attempt(e.id)));
    schedule();
    return results.filter((r): r is InstanceOutcome => r !== null);
  }

  function attempt(entryId: string, probed = false): Promise<InstanceOutcome | null> {
    const existing = inFlight.get(entryId);
    if (existing) return existing;
    const run = limit(() => attemptNow(entryId, probed)).finally(() => inFlight.delete(entryId));
    inFlight.set(entryId, run);
    return run;
  }

  async function attemptNow(entryId: string, probed: boolean): Promise<InstanceOutcome | null> {
    const entry = entries.find((e) => e.id === entryId);
    if (!entry || entry.status !== 'waiting') return null;
    let client: ServiceNowClient;
    try {
      client = await options.connect(entry.instanceId);
    } catch (error) {
      await update(entry.id, retryLater(entry, (error as Error).message));
      return null;
    }
    try {
      const reach: Reachability = probed ? { reachable: true } : await probe(client);
      if (!probed) setNetwork(entry.instanceId, reach);
      if (!reach.reachable) {
        await update(entry.id, retryLater(entry, reach.message, reach.code));
        return null;
      }
      await update(entry.id, {
        status: 'running',
        attempts: entry.attempts + 1,
        lastAttemptAt: now().toISOString(),
      });
      // The same apply as any other (resume first, discover, plan, write, verify), under the instance lock.
      const outcome = await applyInstance({
        workspace: options.workspace,
        instanceId: entry.instanceId,
        client: limitWrites(client, options.writesPerInstance ?? 1),
        desired: entry.desired,
        now,
        what: 'queued apply',
        onProgress: (progress) => emit({ type: 'progress', progress }),
        ...(options.lock ? { lock: options.lock } : {}),
      });
      const current = entries.find((e) => e.id === entry.id) ?? entry;
      // Not answering, or another process working on the instance: try again later, not a failure.
      const finished =
        outcome.status === 'unreachable' || outcome.status === 'busy'
          ? await update(entry.id, retryLater(current, outcome.message, outcome.code ?? 'network'))
          : await update(entry.id, {
              status: outcome.ok ? 'done' : 'failed',
              lastError: outcome.ok ? null : outcome.message,
              applyId: outcome.record?.applyId ?? null,
              finishedAt: now().toISOString(),
              nextAttemptAt: null,
            });
      if (outcome.status === 'unreachable') {
        const code = outcome.code === 'hibernating' || outcome.code === 'timeout' ? outcome.code : 'network';
        setNetwork(entry.instanceId, { reachable: false, code, message: outcome.message });
      }
      emit({ type: 'finished', entry: finished, outcome });
      return outcome;
    } finally {
      client.close();
    }
  }

  /** Back to waiting; `attempts` counts every try (probe or apply) and drives the backoff. */
  function retryLater(entry: QueueEntry, message: string, code?: string): Partial<QueueEntry> {
    const delay = backoffDelay(entry.attempts, backoff, options.random);
    return {
      status: 'waiting',
      attempts: entry.attempts + 1,
      reason: code ?? entry.reason,
      lastError: message,
      lastAttemptAt: now().toISOString(),
      nextAttemptAt: new Date(now().getTime() + delay).toISOString(),
    };
  }

  const queue: OfflineQueue = {
    list: () => entries.map((e) => ({ ...e })),
    network: () => [...network.values()].map((s) => ({ ...s })),
    report(instanceId, reach) {
      // Only news: an instance answering that was never seen in trouble needs no entry (nor a window event).
      const known = network.get(instanceId);
      if (reach.reachable && (!known || known.reachable)) return;
      setNetwork(instanceId, reach);
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async enqueue(instanceId, desired, reason) {
      const waiting = entries.find((e) => e.instanceId === instanceId && e.status === 'waiting');
      if (waiting && !inFlight.has(waiting.id)) {
        return update(waiting.id, { desired, reason, requestedAt: now().toISOString() });
      }
      const entry: QueueEntry = {
        id: randomUUID(),
        instanceId,
        action: 'apply',
        desired,
        reason,
        status: 'waiting',
        requestedAt: now().toISOString(),
        attempts: 0,
        lastAttemptAt: null,
        nextAttemptAt: new Date(now().getTime() + backoffDelay(0, backoff, options.random)).toISOString(),
        lastError: null,
        applyId: null,
        finishedAt: null,
      };
      entries = [...entries, entry];
      await persist();
      return entry;
    },

    async requestApply(instanceId, desired) {
      const client = await options.connect(instanceId);
      let reach: Reachability;
      try {
        reach = await probe(client);
      } finally {
        client.close();
      }
      setNetwork(instanceId, reach);
      if (!reach.reachable)
        return { queued: true, entry: await queue.enqueue(instanceId, desired, reach.code) };
      // Stored before it runs: if Spokesmith stops mid-apply, the next start finds it and resumes.
      const entry = await queue.enqueue(instanceId, desired, 'requested');
      await update(entry.id, { nextAttemptAt: now().toISOString() });
      const outcome = await attempt(entry.id, true);
      const after = entries.find((e) => e.id === entry.id)!;
      if (!outcome || after.status === 'waiting') return { queued: true, entry: after };
      return { queued: false, outcome };
    },

    async cancel(entryId) {
      const entry = entries.find((e) => e.id === entryId);
      if (!entry || entry.status !== 'waiting' || inFlight.has(entryId)) return false;
      await update(entryId, { status: 'cancelled', finishedAt: now().toISOString(), nextAttemptAt: null });
      return true;
    },

    async clearFinished() {
      entries = entries.filter((e) => e.status === 'waiting' || e.status === 'running');
      await persist();
    },

    drainNow: () => drainDue(true),

    start() {
      started = true;
      schedule();
    },

    async stop() {
      started = false;
      cancelTimer?.();
      cancelTimer = null;
      await Promise.all(inFlight.values());
    },
  };

  if (interrupted) void persist();
  return queue;
}
