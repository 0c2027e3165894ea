// One apply (or resume, or rollback) at a time: its live progress, its outcome, and the rollback plan
// shown before a rollback is confirmed.
import type { ApplyProgress, ApplyRecord, StepStatus } from '../../../shared/domain/apply';
import type { Plan } from '../../../shared/domain/plan';
import type { ConnectionFormInput, EntraAppInput } from '../../../shared/domain/desired-state';
import type { ChannelResult, QueuedDetails } from '../../../shared/ipc/contract';
import { api } from './api';

export interface ApplyError {
  code: string;
  message: string;
  /** For code 'queued': the queue entry and why the instance did not answer. */
  queued?: QueuedDetails;
  /** For code 'entra_check_failed': the Entra card field the check's verdict is about. */
  entraField?: string | null;
}

function entraField(details: unknown): string | null {
  if (typeof details !== 'object' || details === null) return null;
  const field = (details as Record<string, unknown>).field;
  return typeof field === 'string' ? field : null;
}

function queuedDetails(details: unknown): QueuedDetails | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const d = details as Record<string, unknown>;
  return typeof d.queueEntryId === 'string' && typeof d.reason === 'string'
    ? { queueEntryId: d.queueEntryId, reason: d.reason }
    : undefined;
}

/**
 * Which line of the Steps list an event updates. A write's phases (writing, waiting, written) share its
 * step's line; events about the whole run carry no action and the step number of the last write (verifying,
 * done, failed), so they get their own lines: the outcome must not overwrite the last write's.
 */
export function progressKey(event: ApplyProgress): string {
  if (event.actionId !== null) return `${event.applyId}:step:${event.step}`;
  const phase = event.phase === 'failed' ? 'done' : event.phase;
  return `${event.applyId}:${phase}`;
}

export interface StepBadge {
  label: string;
  tone: 'ok' | 'error' | 'info' | '';
}

const IN_PROGRESS: ReadonlySet<ApplyProgress['phase']> = new Set([
  'discovering',
  'writing',
  'waiting',
  'verifying',
]);
const STEP_BADGES: Record<StepStatus, StepBadge> = {
  done: { label: 'written', tone: 'ok' },
  failed: { label: 'failed', tone: 'error' },
  not_run: { label: 'not run', tone: '' },
  skipped: { label: 'skipped', tone: '' },
};
/** A line whose run ended without saying how it went (no record: the apply stopped or was queued). */
const STOPPED: StepBadge = { label: 'stopped', tone: '' };

/**
 * The badge of one line of the Steps list. While the run goes it names the line's latest phase; once the
 * run has ended a line still "verifying" or "writing" would contradict the outcome under it (issue 12), so
 * it names how that line ended, from the run's record: the step's status, the verification's result.
 */
export function stepBadge(event: ApplyProgress, running: boolean, record: ApplyRecord | null): StepBadge {
  if (running || !IN_PROGRESS.has(event.phase)) {
    const tone =
      event.phase === 'failed'
        ? 'error'
        : event.phase === 'done' || event.phase === 'written'
          ? 'ok'
          : 'info';
    return { label: event.phase, tone };
  }
  if (!record) return STOPPED;
  if (event.actionId !== null) {
    const step = record.steps.find((s) => s.actionId === event.actionId);
    return step ? STEP_BADGES[step.status] : STOPPED;
  }
  if (event.phase === 'verifying')
    return record.verification?.ok
      ? { label: 'verified', tone: 'ok' }
      : { label: 'not verified', tone: 'error' };
  // The run went past its discovery: it has a record.
  return { label: 'read', tone: 'ok' };
}

export class ApplyState {
  running = $state(false);
  /** What is running: shown in the progress heading. */
  kind = $state<'apply' | 'resume' | 'rollback'>('apply');
  /** The latest event per step, in step order, then the run's own lines (verifying, done or failed). */
  progress = $state<ApplyProgress[]>([]);
  record = $state.raw<ApplyRecord | null>(null);
  error = $state<ApplyError | null>(null);
  rollbackPlan = $state.raw<Plan | null>(null);
  rollbackPlanError = $state<string | null>(null);

  latest = $derived(this.progress.at(-1) ?? null);
  /** Queued: the instance did not answer; the apply runs by itself when it does (not a failure). */
  queued = $derived(this.error?.code === 'queued');
  failed = $derived((this.error !== null && !this.queued) || this.record?.status === 'failed');

  run(
    id: string,
    forms: { main: ConnectionFormInput; clientCred: ConnectionFormInput; entra?: EntraAppInput },
  ): Promise<void> {
    return this.#track('apply', () => api.applyRun({ id, ...forms }));
  }

  resume(id: string): Promise<void> {
    return this.#track('resume', () => api.applyResume({ id }));
  }

  rollback(id: string): Promise<void> {
    this.rollbackPlan = null;
    return this.#track('rollback', () => api.rollbackRun({ id }));
  }

  async planRollback(id: string): Promise<void> {
    this.rollbackPlanError = null;
    const result = await api.rollbackPlan({ id });
    if (result.ok) this.rollbackPlan = result.value;
    else this.rollbackPlanError = result.message;
  }

  cancelRollback(): void {
    this.rollbackPlan = null;
  }

  reset(): void {
    if (this.running) return;
    this.progress = [];
    this.record = null;
    this.error = null;
    this.rollbackPlan = null;
    this.rollbackPlanError = null;
  }

  onProgress(event: ApplyProgress): void {
    const key = progressKey(event);
    const index = this.progress.findIndex((p) => progressKey(p) === key);
    if (index >= 0) this.progress[index] = event;
    else this.progress.push(event);
  }

  async #track(kind: ApplyState['kind'], call: () => Promise<ChannelResult<'app:apply:run'>>): Promise<void> {
    if (this.running) return;
    this.kind = kind;
    this.running = true;
    this.progress = [];
    this.error = null;
    this.record = null;
    const unsubscribe = api.onApplyProgress((event) => this.onProgress(event));
    try {
      const result = await call();
      if (result.ok) this.record = result.value;
      else {
        const queued = result.code === 'queued' ? queuedDetails(result.details) : undefined;
        this.error = {
          code: result.code,
          message: result.message,
          ...(queued ? { queued } : {}),
          ...(result.code === 'entra_check_failed' ? { entraField: entraField(result.details) } : {}),
        };
      }
    } finally {
      unsubscribe();
      this.running = false;
    }
  }
}
