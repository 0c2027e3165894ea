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
  type EntraCheckRequest,
  type ApplyOutcome as InstanceOutcome,
  type LockOptions,
  type OperationProgress as FleetProgress,
} from '../operations';
import type { ServiceNowClient } from '../servicenow';
import type { Workspace } from '../workspace';
import type { SecretStore } from '../secrets/secret-store';
import { entraSecretBlock } from './entra-secret-needed';
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
  /**
   * The keychain: a queued apply with an Entra app reads its client secret from it when it runs (issue 10;
   * the queue stores the desired state, never the secret). Without it such an entry fails, saying so.
   */
  secrets?: SecretStore;
  /** Where a queued Entra app is checked when its entry does not say (default login.microsoftonline.com). */
  entraCheck?: EntraCheckRequest;
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
  /**
   * Applies now when the instance answers; queues the apply when it does not. `entraCheck` travels with
   * the entry (where the Entra app is checked, or `false` when the person declined the check).
   */
  requestApply(
    instanceId: string,
    desired: DesiredState,
    options?: { entraCheck?: EntraCheckRequest },
  ): Promise<{ queued: true; entry: QueueEntry } | { queued: false; outcome: InstanceOutcome }>;
  /** Queues without trying first (e.g. the app knows it is offline). One waiting apply per instance: the latest wins. */
  enqueue(
    instanceId: string,
    desired: DesiredState,
    reason: string,
    options?: { entraCheck?: EntraCheckRequest },
  ): Promise<QueueEntry>;
  cancel(entryId: string): Promise<boolean>;
  /** Removes finished (done, failed, cancelled) entries. */
  clearFinished(): Promise<void>;
  /** Probes every waiting instance now (ignoring backoff) and runs the applies of those that answer. */
  drainNow(): Promise<InstanceOutcome[]>;
  /**
   * Tells the queue the workspace re-read queue.json (another process changed it): the listeners hear the
   * entries as they are now and the backoff timer covers entries queued elsewhere.
   */
  reloaded(): void;
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

  // The queue lives in the workspace's queue.json, which other processes (CLI runs, a second window)
  // change too: every change below is a read–modify–write of the file as it is now (under its lock), and
  // reads come from the copy the workspace refreshes on each write and reload — never from a list kept
  // here, which would write another process's entries away.
  const stored = () => options.workspace.queue.read();

  // An entry left `running` means Spokesmith stopped mid-apply: it waits again, and its next run
  // resumes the engine's journal before planning afresh (under the instance lock, so an entry another
  // live process is running cannot be applied twice at once). Until that change is stored, the queue
  // already shows those entries waiting, and every change waits for it.
  const interruptedAt = now().toISOString();
  const interrupted = new Set(
    stored()
      .filter((e) => e.status === 'running')
      .map((e) => e.id),
  );
  const requeue = (e: QueueEntry): QueueEntry =>
    interrupted.has(e.id) && e.status === 'running'
      ? {
          ...e,
          status: 'waiting',
          nextAttemptAt: interruptedAt,
          lastError: 'Interrupted while applying; it resumes when the instance answers.',
        }
      : e;
  const entries = () => (interrupted.size > 0 ? stored().map(requeue) : stored());

  const emit = (event: QueueEvent) => {
    for (const listener of listeners) listener(event);
  };
  const changed = (after: QueueEntry[]) => {
    emit({ type: 'changed', entries: after });
    schedule();
  };
  /** Changes the queue as it is on disk now, then tells the listeners. */
  const store = async (mutate: (current: QueueEntry[]) => QueueEntry[]) => {
    const after = await options.workspace.queue.update((current) => mutate(current.map(requeue)));
    interrupted.clear();
    changed(after);
  };
  // Stored at once; if that fails (an unreadable queue.json, say), the entries still show waiting here and
  // the next change stores them, or names the file.
  const requeued = interrupted.size > 0 ? store((current) => current).catch(() => undefined) : null;
  const persist = async (mutate: (current: QueueEntry[]) => QueueEntry[]) => {
    await requeued;
    await store(mutate);
  };
  /**
   * Patches one entry as it is on disk now; `patch` sees that entry and answers null to leave it as it is
   * (another process finished or cancelled it meanwhile). Resolves to the entry after the change, or null
   * when it is no longer in the queue.
   */
  const update = async (
    id: string,
    patch: Partial<QueueEntry> | ((current: QueueEntry) => Partial<QueueEntry> | null),
  ): Promise<QueueEntry | null> => {
    let result: QueueEntry | null = null;
    await persist((current) =>
      current.map((e) => {
        if (e.id !== id) return e;
        const change = typeof patch === 'function' ? patch(e) : patch;
        result = change ? { ...e, ...change } : e;
        return result;
      }),
    );
    return result;
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
    const due = entries()
      .filter((e) => e.status === 'waiting' && !inFlight.has(e.id))
      .map((e) => Date.parse(e.nextAttemptAt ?? e.requestedAt));
    if (!due.length) return;
    const delay = Math.max(0, Math.min(...due) - now().getTime());
    cancelTimer = scheduleRun(() => void drainDue(false), delay);
  }

  async function drainDue(force: boolean): Promise<InstanceOutcome[]> {
    const at = now().getTime();
    const due = entries().filter(
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
    const entry = entries().find((e) => e.id === entryId);
    if (!entry || entry.status !== 'waiting') return null;
    // Another process may have run, cancelled or claimed the entry meanwhile: only a waiting one moves on.
    const stillWaiting = (message: string, code?: string) => (current: QueueEntry) =>
      current.status === 'waiting' ? retryLater(current, message, code) : null;
    // Waiting cannot bring a missing Entra secret: the entry fails at once, saying where to enter it.
    const blocked = await entraSecretBlock(
      options.secrets,
      options.workspace,
      entry.instanceId,
      entry.desired,
    );
    if (blocked) {
      const at = now().toISOString();
      const failed = await update(entry.id, (current) =>
        current.status === 'waiting'
          ? {
              status: 'failed',
              attempts: current.attempts + 1,
              lastAttemptAt: at,
              lastError: blocked.message,
              finishedAt: at,
              nextAttemptAt: null,
            }
          : null,
      );
      if (failed?.status !== 'failed') return null;
      emit({ type: 'finished', entry: failed, outcome: blocked });
      return blocked;
    }
    let client: ServiceNowClient;
    try {
      client = await options.connect(entry.instanceId);
    } catch (error) {
      await update(entry.id, stillWaiting((error as Error).message));
      return null;
    }
    try {
      const reach: Reachability = probed ? { reachable: true } : await probe(client);
      if (!probed) setNetwork(entry.instanceId, reach);
      if (!reach.reachable) {
        await update(entry.id, stillWaiting(reach.message, reach.code));
        return null;
      }
      const claimed = await update(entry.id, (current) =>
        current.status === 'waiting'
          ? { status: 'running', attempts: current.attempts + 1, lastAttemptAt: now().toISOString() }
          : null,
      );
      if (claimed?.status !== 'running') return null;
      // The same apply as any other (resume first, discover, plan, write, verify), under the instance lock.
      const outcome = await applyInstance({
        workspace: options.workspace,
        instanceId: entry.instanceId,
        client: limitWrites(client, options.writesPerInstance ?? 1),
        desired: entry.desired,
        now,
        what: 'queued apply',
        // The secret is read from the keychain now, when the apply runs: the queue never holds it.
        ...(options.secrets ? { secrets: options.secrets } : {}),
        ...(entraCheck(entry) !== undefined ? { entraCheck: entraCheck(entry) } : {}),
        onProgress: (progress) => emit({ type: 'progress', progress }),
        ...(options.lock ? { lock: options.lock } : {}),
      });
      // Not answering, or another process working on the instance: try again later, not a failure.
      const finished =
        outcome.status === 'unreachable' || outcome.status === 'busy'
          ? await update(entry.id, (current) =>
              current.status === 'running'
                ? retryLater(current, outcome.message, outcome.code ?? 'network')
                : null,
            )
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
      emit({
        type: 'finished',
        entry: finished ?? { ...claimed, status: outcome.ok ? 'done' : 'failed' },
        outcome,
      });
      return outcome;
    } finally {
      client.close();
    }
  }

  /** The check the entry was queued with, else this process's setting. */
  function entraCheck(entry: QueueEntry): EntraCheckRequest | undefined {
    return entry.entraCheck !== undefined ? entry.entraCheck : options.entraCheck;
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
    list: entries,
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

    async enqueue(instanceId, desired, reason, enqueueOptions = {}) {
      const check = enqueueOptions.entraCheck !== undefined ? { entraCheck: enqueueOptions.entraCheck } : {};
      const fresh: QueueEntry = {
        id: randomUUID(),
        instanceId,
        action: 'apply',
        desired,
        ...check,
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
      let queued: QueueEntry = fresh;
      // Decided on the queue as it is on disk: another process may have queued for the instance meanwhile.
      await persist((current) => {
        const waiting = current.find(
          (e) => e.instanceId === instanceId && e.status === 'waiting' && !inFlight.has(e.id),
        );
        if (!waiting) return [...current, (queued = fresh)];
        // The latest request wins, its Entra check choice included.
        const { entraCheck: _previous, ...rest } = waiting;
        queued = { ...rest, desired, ...check, reason, requestedAt: now().toISOString() };
        return current.map((e) => (e.id === waiting.id ? queued : e));
      });
      return queued;
    },

    async requestApply(instanceId, desired, requestOptions = {}) {
      const client = await options.connect(instanceId);
      let reach: Reachability;
      try {
        reach = await probe(client);
      } finally {
        client.close();
      }
      setNetwork(instanceId, reach);
      if (!reach.reachable)
        return {
          queued: true,
          entry: await queue.enqueue(instanceId, desired, reach.code, requestOptions),
        };
      // Stored before it runs: if Spokesmith stops mid-apply, the next start finds it and resumes.
      const entry = await queue.enqueue(instanceId, desired, 'requested', requestOptions);
      await update(entry.id, { nextAttemptAt: now().toISOString() });
      const outcome = await attempt(entry.id, true);
      const after = entries().find((e) => e.id === entry.id) ?? entry;
      if (!outcome || after.status === 'waiting') return { queued: true, entry: after };
      return { queued: false, outcome };
    },

    async cancel(entryId) {
      if (inFlight.has(entryId)) return false;
      let cancelled = false;
      await update(entryId, (current) => {
        if (current.status !== 'waiting') return null;
        cancelled = true;
        return { status: 'cancelled', finishedAt: now().toISOString(), nextAttemptAt: null };
      });
      return cancelled;
    },

    async clearFinished() {
      await persist((current) => current.filter((e) => e.status === 'waiting' || e.status === 'running'));
    },

    drainNow: () => drainDue(true),

    reloaded: () => changed(entries()),

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

  return queue;
}
