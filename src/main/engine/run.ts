// The one machine behind apply, resume and rollback: runs a plan's writes in order, journaling before and
// after each, settling anything uncertain by re-reading, then verifying and storing the ApplyRecord.
//
// Writes go in waves: a wave is a run of consecutive writes none of which needs another's sys_id (the
// credentials; then the connections whose bodies name them through `{{action-id}}`). A wave of several
// writes travels as ONE Batch API request, whose items the instance runs one after another in plan order
// (docs/servicenow.md §7), so a session still runs one transaction at a time (docs/reliability.md §4.3). An
// instance that refuses the Batch API gets the same writes one request each.
//
// Rules that keep a crash or a lost answer from duplicating or hiding a change:
// - an intent line per write is fsynced before the request carrying it leaves, a done line after the
//   instance confirms it (each batch item has its own status, so each has its own line); a wave's intents
//   go to disk together (one fsync) before its batch leaves, and its outcomes together after the answer;
// - an ambiguous failure (the request may have been committed: a timeout, a reset, a 5xx, a 200 with a
//   failure body, a lost batch answer) is settled by re-reading, never by resending;
// - a retryable failure (429 with a short Retry-After, 502/503, a timeout, a reset, an item the batch
//   quota left unrun) is retried only after a re-read proves the write did not happen;
// - a write whose fate cannot be proved leaves the journal unfinished, so resume settles it later.
import { randomBytes } from 'node:crypto';
import type {
  ApplyProgress,
  ApplyRecord,
  ApplyStepResult,
  RecordBeforeAfter,
} from '../../shared/domain/apply';
import { buildNextSteps, type CredentialForNextStep } from '../../shared/domain/next-steps';
import { isBlocked, type Plan, type WritableAction } from '../../shared/domain/plan';
import { REGISTRY_ELEMENTS, placeholderTarget } from '../../shared/domain/record-fields';
import type { ServiceNowFailure } from '../../shared/servicenow/errors';
import { ServiceNowError, writeItem, type BatchResponseItem, type RawRecord } from '../servicenow';
import type { ApplyStore } from './apply-store';
import { batchRefused, isBatchRefusal, rememberBatchRefused } from './batch-refusal';
import type { EngineClient } from './client';
import type { JournalEntry, JournalState, JournalWriter } from './journal';
import { findRow, readTouched, touchedQueries, type TouchedRows } from './touched';
import { matches, mismatches, reReadWritten, verifies } from './verify';

export type ProgressListener = (progress: Omit<ApplyProgress, 'instanceId'>) => void;

/**
 * The Entra client secret the registry writes carry (docs/servicenow.md §8). The operations layer supplies it
 * from the keychain; the engine reads it at send time, puts it into the request body only (never into the
 * plan, the journal, the record, a progress message or an error), and reports it once the registries were
 * written with it and verified.
 */
export interface RegistrySecret {
  /** The secret as stored now; null when none is. */
  read(): Promise<string | null>;
  /** Every registry that was to get the secret got it, and the re-read verified them. */
  written(secret: string): Promise<void>;
}

export interface RetryOptions {
  /** Attempts per write, the first included. Default 4. */
  maxAttempts?: number;
  /** The longest Retry-After (or backoff) the engine waits for; longer ones fail the step. Default 15 s. */
  maxWaitMs?: number;
  /** Backoff without a Retry-After: base × 2^(attempt-1). Default 500 ms. */
  baseDelayMs?: number;
  /**
   * How the engine waits between tries: by default a timer that an abort ends early. Tests pass one that
   * records the wait and returns at once, so a Retry-After of seconds costs them no time and no clock race.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RunInput {
  client: EngineClient;
  store: ApplyStore;
  journal: JournalWriter;
  plan: Plan;
  applyId: string;
  kind: ApplyRecord['kind'];
  startedAt: string;
  /** The journal of an interrupted run of this apply (resume), or null for a fresh one. */
  resumed: JournalState | null;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  now: () => Date;
  retry?: RetryOptions;
  /** Journal problems to carry into step notes (a torn last line). */
  notes?: string[];
  /**
   * The plan's snapshot was discovered by this process in this run while it holds the instance's lock:
   * nothing else can have changed the touched records since, so the pre-write re-read is skipped and the
   * before-state is the plan's own (`action.before`). Ignored on resume, and for plans without before-states.
   */
  freshPlan?: boolean;
  /** Needed when the plan's registries get a client secret (`set` or `replace`). */
  registrySecret?: RegistrySecret;
}

const WRITE_OPS = new Set(['create', 'update', 'delete']);
export const isWriteAction = (a: WritableAction): boolean => WRITE_OPS.has(a.op);

const SECRET = REGISTRY_ELEMENTS.clientSecret;

/** A registry update that sets the client secret (the plan says `set` or `replace`, never the value). */
export const carriesSecret = (a: WritableAction): boolean =>
  a.kind === 'registry' && a.op === 'update' && (a.secret === 'set' || a.secret === 'replace');

/**
 * A row as the apply record and journal keep it: a registry's client_secret is dropped, whatever the
 * instance answered for it (a mask, or an encrypted value: docs/servicenow.md §8).
 */
function kept(action: WritableAction, row: RawRecord | null): Record<string, string> | null {
  if (!row || action.kind !== 'registry') return row;
  const { [SECRET]: _secret, ...rest } = row;
  return rest;
}

export function newApplyId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

interface StepOutcome {
  status: ApplyStepResult['status'];
  sysId: string | null;
  error?: ServiceNowFailure;
  settled?: string;
  /** The instance may hold the write, but nothing proved it either way: resume must settle it. */
  unsettled?: boolean;
  /** The body actually sent (placeholders resolved). */
  body?: Record<string, string>;
}

export async function runPlan(input: RunInput): Promise<ApplyRecord> {
  const { client, journal, plan, now } = input;
  const startCount = client.requestCount;
  // The registries come last: they need no sys_id of another write, so they join the last wave's batch.
  const all: WritableAction[] = [...plan.actions, ...(plan.registries ?? [])];
  const writes = all.filter(isWriteAction);
  const total = writes.length;
  const emit = (phase: ApplyProgress['phase'], step: number, actionId: string | null, message: string) =>
    input.onProgress?.({ applyId: input.applyId, step, total, actionId, phase, message });

  const outcomes = new Map<string, StepOutcome>();
  let before: Record<string, Record<string, string> | null> = input.resumed?.before ?? {};
  let stopped = false;

  if (isBlocked(plan)) {
    // A blocked plan writes nothing: a half-provisioned pair (a credential without its connection) helps no one.
    for (const a of all)
      outcomes.set(a.id, { status: a.op === 'noop' ? 'skipped' : 'not_run', sysId: a.sysId });
    stopped = true;
  }

  let live: TouchedRows | null = null;
  const trustPlan = input.freshPlan === true && !input.resumed && writes.every((a) => a.before !== undefined);
  if (!stopped && total > 0) {
    if (trustPlan) {
      live = fromPlan(writes);
    } else {
      emit('discovering', 0, null, 'Reading the records this apply touches');
      const known = new Map(
        [...(input.resumed?.steps ?? new Map()).entries()].map(([id, s]) => [id, s.done?.sysId ?? null]),
      );
      live = await readTouched(client, touchedQueries(writes, known));
    }
    if (!input.resumed?.before) {
      before = Object.fromEntries(
        writes.map((a) => [a.id, kept(a, trustPlan ? (a.before ?? null) : liveRecordOf(live!, a))]),
      );
      // Held until the first intent (or any other line) is appended: nothing needs it before a write.
      journal.hold({ t: 'before', records: before });
    }
  }

  // The client secret is read from the keychain now, as the writes start, and goes only into request bodies.
  const secret = !stopped && writes.some(carriesSecret) ? await readSecret(input) : null;
  /** Registries this run sent the secret to (not those an interrupted run had already written). */
  const sentSecret = new Set<string>();
  for (const action of all) {
    if (!isWriteAction(action) && !outcomes.has(action.id))
      outcomes.set(action.id, { status: action.op === 'noop' ? 'skipped' : 'not_run', sysId: action.sysId });
  }
  const stepOf = new Map(writes.map((a, i) => [a.id, i + 1]));
  for (const wave of waves(writes)) {
    const ready: Ready[] = [];
    for (const action of wave) {
      if (outcomes.has(action.id)) continue;
      const step = stepOf.get(action.id) ?? 0;
      if (stopped || input.signal?.aborted) {
        outcomes.set(action.id, { status: 'not_run', sysId: action.sysId });
        stopped = true;
        continue;
      }
      const body = resolveBody(action, outcomes);
      if (!body) {
        outcomes.set(action.id, {
          status: 'not_run',
          sysId: action.sysId,
          settled: 'Not sent: a record it depends on was not written.',
        });
        stopped = true;
        continue;
      }
      const checked = checkStep(input, action, body, live!);
      if (checked) {
        outcomes.set(action.id, { ...checked, body });
        if (checked.status === 'failed') stopped = true;
        continue;
      }
      if (carriesSecret(action) && !secret) {
        outcomes.set(action.id, { ...noSecret(input, action), body });
        stopped = true;
        continue;
      }
      if (carriesSecret(action)) sentSecret.add(action.id);
      ready.push({
        action,
        body,
        step,
        attempt: input.resumed?.steps.get(action.id)?.intents.length ?? 0,
        ...(carriesSecret(action) && secret ? { secret } : {}),
      });
    }
    let single = ready;
    if (ready.length > 1 && !batchRefused(client)) {
      const batched = await runBatch(input, ready, emit);
      for (const [id, outcome] of batched.outcomes) {
        outcomes.set(id, { ...outcome, body: ready.find((r) => r.action.id === id)!.body });
        if (outcome.status === 'failed') stopped = true;
      }
      single = batched.refused;
    }
    for (const r of single) {
      if (stopped || input.signal?.aborted) {
        outcomes.set(r.action.id, { status: 'not_run', sysId: r.action.sysId });
        stopped = true;
        continue;
      }
      const outcome = await sendStep(input, r, emit);
      outcomes.set(r.action.id, { ...outcome, body: r.body });
      if (outcome.status === 'failed') stopped = true;
    }
  }

  // --- Verify ---
  const unsettled = [...outcomes.values()].some((o) => o.unsettled);
  let after: TouchedRows | null = null;
  let verifyRequests = 0;
  if (total > 0 && [...outcomes.values()].some((o) => o.status === 'done' || o.status === 'failed')) {
    emit('verifying', total, null, 'Re-reading every touched record');
    const sysIds = new Map(writes.map((a) => [a.id, outcomes.get(a.id)?.sysId ?? null]));
    try {
      after = await reReadWritten(client, writes, sysIds);
      verifyRequests = after.requests;
    } catch {
      after = null;
    }
  }

  const steps: ApplyStepResult[] = all.map((a) => {
    const o = outcomes.get(a.id) ?? { status: 'not_run' as const, sysId: a.sysId };
    return {
      actionId: a.id,
      table: a.table,
      name: a.name,
      op: a.op,
      ...(a.kind === 'registry' ? { kind: 'registry' as const } : {}),
      status: o.status,
      sysId: o.sysId,
      ...(o.error ? { error: o.error } : {}),
      ...(o.settled ? { settled: o.settled } : {}),
    };
  });
  const records: RecordBeforeAfter[] = writes.map((a) => {
    const o = outcomes.get(a.id);
    const sysId = o?.sysId ?? a.sysId;
    const afterRow = after && sysId ? (findRow(after, a.table, { sysId }) ?? null) : null;
    // A secret is never read back: a non-empty client_secret is all a re-read can show of it.
    const secretMissing = carriesSecret(a) && afterRow !== null && !afterRow[SECRET];
    const verified =
      after !== null && o?.status === 'done' && verifies(a, o.body ?? {}, afterRow) && !secretMissing;
    return {
      actionId: a.id,
      table: a.table,
      sysId,
      name: a.name,
      op: a.op,
      before: before[a.id] ?? kept(a, a.before ?? null),
      after: after ? kept(a, afterRow) : null,
      verified,
      mismatches:
        o?.status === 'done' && afterRow
          ? [...mismatches(o.body ?? {}, afterRow), ...(secretMissing ? [SECRET] : [])]
          : [],
    };
  });
  const allDone = writes.every((a) => outcomes.get(a.id)?.status === 'done');
  const verificationOk =
    after !== null && records.every((r) => outcomes.get(r.actionId)?.status !== 'done' || r.verified);
  const status: ApplyRecord['status'] =
    !stopped && allDone && (total === 0 || verificationOk) ? 'succeeded' : 'failed';
  const notes = [...(input.notes ?? [])];
  if (secret && input.registrySecret && secretVerified(writes, records, sentSecret)) {
    // Only now may the next plan call this secret `unchanged` (src/main/operations/entra.ts).
    try {
      await input.registrySecret.written(secret);
    } catch {
      notes.push(
        'The keychain did not keep the fingerprint of the client secret just written: the next apply writes it again.',
      );
    }
  }

  const record: ApplyRecord = {
    version: 1,
    applyId: input.applyId,
    kind: input.kind,
    instanceUrl: plan.instanceUrl,
    startedAt: input.startedAt,
    finishedAt: now().toISOString(),
    status,
    plan,
    steps,
    records,
    verification:
      total === 0
        ? { ok: true, checkedAt: now().toISOString(), requests: 0 }
        : after
          ? { ok: verificationOk, checkedAt: now().toISOString(), requests: verifyRequests }
          : null,
    nextSteps: input.kind === 'apply' ? nextStepsFor(plan, outcomes) : [],
    requests: client.requestCount - startCount,
    ...(notes.length ? { notes } : {}),
  };
  await input.store.saveRecord(record);
  // An unsettled write keeps the journal open: resume will settle it by re-reading.
  if (!unsettled) await journal.append({ t: 'finished', status, at: now().toISOString() });
  emit(
    status === 'succeeded' ? 'done' : 'failed',
    total,
    null,
    status === 'succeeded' ? 'Applied and verified' : 'Stopped',
  );
  return record;
}

// --- One step ---

type Emit = (phase: ApplyProgress['phase'], step: number, actionId: string | null, message: string) => void;

/** A write that passed its checks and is to be sent. */
interface Ready {
  action: WritableAction;
  body: Record<string, string>;
  step: number;
  /** Attempts journaled so far (an interrupted run's included). */
  attempt: number;
  /** The client secret this registry write carries; added to the request body only, as it leaves. */
  secret?: string;
}

/** What goes on the wire: the body, plus the client secret for a registry that gets one. */
const wireBody = (r: Ready): Record<string, string> =>
  r.secret ? { ...r.body, [SECRET]: r.secret } : r.body;

/** A registry's fields go as typed values, as the password2 client_secret requires (docs/servicenow.md §8). */
const writeParams = (action: WritableAction) =>
  action.kind === 'registry' ? { inputDisplayValue: true } : {};

/**
 * The secret as the keychain holds it now. A keychain that fails is a missing secret: the registry writes
 * that need it fail in plain words (noSecret), and its error (which could name the account) goes nowhere.
 */
async function readSecret(input: RunInput): Promise<string | null> {
  try {
    return (await input.registrySecret?.read()) ?? null;
  } catch {
    return null;
  }
}

function noSecret(input: RunInput, action: WritableAction): StepOutcome {
  const error: ServiceNowFailure = {
    code: 'unexpected',
    message: `"${action.name}" needs the Entra client secret, and none is stored in the keychain for this instance: enter it and apply again.`,
    ambiguous: false,
  };
  // Held for the next append (see checkStep): nothing was sent, and resume reads no "failed" line.
  input.journal.hold({ t: 'failed', actionId: action.id, error, at: input.now().toISOString() });
  return { status: 'failed', sysId: action.sysId, error, settled: 'Not sent.' };
}

/**
 * Every registry that was to get the secret got THIS run's secret, and the re-read verified it. A registry
 * an interrupted run wrote (found done on resume) may hold the secret the keychain held then: its
 * fingerprint is not kept, so the next apply says `replace` and sends the current one — one write too
 * many at worst, never a wrong `unchanged`.
 */
function secretVerified(
  writes: readonly WritableAction[],
  records: readonly RecordBeforeAfter[],
  sentNow: ReadonlySet<string>,
): boolean {
  const needing = writes.filter(carriesSecret);
  return (
    needing.length > 0 &&
    needing.every((a) => sentNow.has(a.id) && records.find((r) => r.actionId === a.id)?.verified === true)
  );
}

/** A failure whose text (the instance's own words included) could repeat what was sent: never the secret. */
function scrubbed(failure: ServiceNowFailure, secret: string | undefined): ServiceNowFailure {
  if (!secret) return failure;
  const clean = (text: string) => text.split(secret).join('[client secret]');
  return {
    ...failure,
    message: clean(failure.message),
    ...(failure.instanceMessage !== undefined ? { instanceMessage: clean(failure.instanceMessage) } : {}),
  };
}

/**
 * Decides from what the instance holds now (`live`) whether the step still needs sending: an outcome when
 * it is already done (journaled or found on the instance) or the plan no longer holds; null to send it.
 */
function checkStep(
  input: RunInput,
  action: WritableAction,
  body: Record<string, string>,
  live: TouchedRows,
): StepOutcome | null {
  const { journal, now } = input;
  const previous = input.resumed?.steps.get(action.id);
  if (previous?.done)
    return {
      status: 'done',
      sysId: previous.done.sysId,
      ...(previous.done.settled ? { settled: previous.done.settled } : {}),
    };

  const current = liveRecordOf(live, action);
  const sentBefore = Boolean(previous?.intents.length);
  /**
   * A step found already done on the instance: journal it as done, with how it was settled, and send
   * nothing. The line is held for the next append (the wave's intents, or "finished"), not fsynced on its
   * own: lost in a kill, it is found again by the next resume's re-read, as it was found now.
   */
  const settledDone = (sysId: string | null, settled: string): StepOutcome => {
    journal.hold({ t: 'done', actionId: action.id, sysId, settled, at: now().toISOString() });
    return { status: 'done', sysId, settled };
  };
  // What the instance holds now decides: was an interrupted write committed, and does the plan still hold?
  if (action.op === 'create' && current) {
    if (sentBefore) {
      const sysId = current.sys_id ?? null;
      return settledDone(
        sysId,
        `Found on the instance after the interruption (sys_id ${sysId ?? '?'}): not sent again.`,
      );
    }
    return refuse(
      input,
      action,
      `"${action.name}" exists on the instance now, though the plan was made when it did not: discover and plan again.`,
    );
  }
  if (action.op === 'update' && !current) {
    return refuse(
      input,
      action,
      `"${action.name}" no longer exists on the instance: discover and plan again.`,
    );
  }
  if (action.op === 'delete' && !current) {
    return settledDone(
      action.sysId,
      sentBefore ? 'Already deleted (found gone after the interruption).' : 'Already gone from the instance.',
    );
  }
  if (action.op === 'update' && current && sentBefore && landed(action, body, current).written) {
    return settledDone(action.sysId, 'Found already written after the interruption: not sent again.');
  }

  return null;
}

/** Sends one write on its own, retrying and settling as the rules at the top say. */
async function sendStep(input: RunInput, ready: Ready, emit: Emit): Promise<StepOutcome> {
  const { journal, now } = input;
  const { action, body, step } = ready;
  const maxAttempts = input.retry?.maxAttempts ?? 4;
  let attempt = ready.attempt;
  for (let tries = 1; ; tries += 1) {
    attempt += 1;
    await journal.append({
      t: 'intent',
      actionId: action.id,
      attempt,
      op: action.op,
      table: action.table,
      sysId: action.sysId,
      body,
      at: now().toISOString(),
    });
    emit('writing', step, action.id, `${verb(action)} ${action.name}`);
    let failure: ServiceNowFailure;
    try {
      const sysId = await write(input.client, action, wireBody(ready));
      await journal.append({ t: 'done', actionId: action.id, sysId, at: now().toISOString() });
      emit('written', step, action.id, `${verb(action)} ${action.name}: done`);
      return { status: 'done', sysId };
    } catch (error) {
      if (!(error instanceof ServiceNowError)) throw error;
      failure = scrubbed(error.failure, ready.secret);
    }
    if (!failure.ambiguous && !isRetryable(failure)) {
      await journal.append({ t: 'failed', actionId: action.id, error: failure, at: now().toISOString() });
      return {
        status: 'failed',
        sysId: action.sysId,
        error: failure,
        settled: 'Not written: the instance refused it.',
      };
    }
    // Did it land? Only a re-read may say so.
    let landed: Landed;
    try {
      landed = await settle(input.client, action, body);
    } catch (error) {
      return unsettledOutcome(action, failure, error);
    }
    if (landed.written) {
      const settled = failure.ambiguous
        ? `The answer was lost (${failure.code}), but a re-read found the change on the instance: not sent again.`
        : `The instance answered ${failure.code}, yet a re-read found the change on the instance.`;
      await journal.append({
        t: 'done',
        actionId: action.id,
        sysId: landed.sysId,
        settled,
        at: now().toISOString(),
      });
      emit('written', step, action.id, `${verb(action)} ${action.name}: done`);
      return { status: 'done', sysId: landed.sysId, settled };
    }
    const wait =
      (isRetryable(failure) || landed.resend) && tries < maxAttempts
        ? waitMs(failure, tries, input, now())
        : null;
    if (wait === null) {
      await journal.append({ t: 'failed', actionId: action.id, error: failure, at: now().toISOString() });
      return {
        status: 'failed',
        sysId: action.sysId,
        error: failure,
        settled: notLanded(landed, tries),
      };
    }
    emit('waiting', step, action.id, `${failure.message} Retrying in ${Math.ceil(wait / 1000)} s.`);
    await (input.retry?.sleep ?? sleep)(wait, input.signal);
    if (input.signal?.aborted) {
      await journal.append({ t: 'failed', actionId: action.id, error: failure, at: now().toISOString() });
      return {
        status: 'failed',
        sysId: action.sysId,
        error: failure,
        settled: 'Not written: cancelled while waiting to retry.',
      };
    }
  }
}

// --- One wave in one Batch API request ---

interface BatchRun {
  outcomes: Map<string, StepOutcome>;
  /** Writes not sent because the instance refused the Batch API: they go one request each. */
  refused: Ready[];
}

/**
 * Sends the wave's writes as one batch; each item is journaled, answered and settled on its own. Items
 * whose answer is uncertain (the whole batch failed ambiguously, or the item did) are settled by ONE
 * re-read of them all; those proved absent are sent again (one batch) when their failure is retryable.
 */
async function runBatch(input: RunInput, wave: Ready[], emit: Emit): Promise<BatchRun> {
  const { journal, now, client } = input;
  const outcomes = new Map<string, StepOutcome>();
  const maxAttempts = input.retry?.maxAttempts ?? 4;
  // The items' outcomes are journaled together, one append after each answer or re-read, not one fsync
  // each. Until that append is on disk a kill loses them all, which is the same as a kill before the answer
  // came: resume re-reads every touched record and settles each intent without a "done" (checkStep): a
  // create found by name, an update found written or a delete found gone is journaled done and not sent;
  // a write proved absent is sent again, which cannot duplicate it. A "failed" line changes nothing there
  // (checkStep reads only "done"), so losing one costs at most a resend of a write proved not made.
  let lines: JournalEntry[] = [];
  let written: Ready[] = [];
  const done = (r: Ready, sysId: string | null, settled?: string): void => {
    lines.push({
      t: 'done',
      actionId: r.action.id,
      sysId,
      ...(settled ? { settled } : {}),
      at: now().toISOString(),
    });
    written.push(r);
    outcomes.set(r.action.id, { status: 'done', sysId, ...(settled ? { settled } : {}) });
  };
  const failed = (r: Ready, error: ServiceNowFailure, settled: string): void => {
    lines.push({ t: 'failed', actionId: r.action.id, error, at: now().toISOString() });
    outcomes.set(r.action.id, { status: 'failed', sysId: r.action.sysId, error, settled });
  };
  /** Appends the outcomes gathered so far in one write; "written" is reported once they are on disk. */
  const journalOutcomes = async (): Promise<void> => {
    if (lines.length > 0) await journal.append(...lines);
    for (const r of written) emit('written', r.step, r.action.id, `${verb(r.action)} ${r.action.name}: done`);
    lines = [];
    written = [];
  };

  let pending = wave;
  for (let tries = 1; ; tries += 1) {
    const batch = randomBytes(4).toString('hex');
    // Every item's intent is on disk before the request carrying them leaves: one write, one fsync.
    for (const r of pending) r.attempt += 1;
    await journal.append(
      ...pending.map((r): JournalEntry => ({
        t: 'intent',
        actionId: r.action.id,
        attempt: r.attempt,
        op: r.action.op,
        table: r.action.table,
        sysId: r.action.sysId,
        body: r.body,
        batch,
        at: now().toISOString(),
      })),
    );
    for (const r of pending) emit('writing', r.step, r.action.id, `${verb(r.action)} ${r.action.name}`);
    let answers: BatchResponseItem[] | null = null;
    let whole: ServiceNowFailure | null = null;
    try {
      answers = await client.batch(
        pending.map((r) =>
          writeItem(
            r.action.id,
            r.action.op as 'create' | 'update' | 'delete',
            r.action.table,
            r.action.sysId,
            wireBody(r),
            writeParams(r.action),
          ),
        ),
      );
    } catch (error) {
      if (isBatchRefusal(error)) {
        // The envelope was refused, so none of its items ran: they go one by one, now and for the run.
        rememberBatchRefused(client);
        return { outcomes, refused: pending };
      }
      if (!(error instanceof ServiceNowError)) throw error;
      whole = error.failure;
    }

    const uncertain: { r: Ready; failure: ServiceNowFailure }[] = [];
    for (const r of pending) {
      const answer = answers?.find((a) => a.id === r.action.id);
      const given = whole ?? answer?.failure ?? null;
      const failure = given ? scrubbed(given, r.secret) : null;
      if (answer?.ok) {
        done(r, writtenSysId(r.action, answer.result));
      } else if (r.action.op === 'delete' && failure?.code === 'not_found') {
        // As a single DELETE: a 404 means already gone.
        done(r, r.action.sysId, 'Already gone from the instance.');
      } else if (failure && !failure.ambiguous && !isRetryable(failure)) {
        failed(r, failure, 'Not written: the instance refused it.');
      } else {
        uncertain.push({
          r,
          failure: failure ?? {
            code: 'unexpected',
            message: `The batch answer says nothing about ${r.action.name}.`,
            ambiguous: true,
          },
        });
      }
    }
    await journalOutcomes();
    if (uncertain.length === 0) break;

    // Did they land? Only a re-read may say so: one for all of them.
    let found: TouchedRows;
    try {
      found = await readTouched(client, touchedQueries(uncertain.map((u) => u.r.action)));
    } catch (error) {
      for (const { r, failure } of uncertain)
        outcomes.set(r.action.id, unsettledOutcome(r.action, failure, error));
      break;
    }
    const again: { r: Ready; failure: ServiceNowFailure; wait: number }[] = [];
    for (const { r, failure } of uncertain) {
      const landed = landedIn(found, r.action, r.body);
      if (landed.written) {
        done(
          r,
          landed.sysId,
          failure.ambiguous
            ? `The answer was lost (${failure.code}), but a re-read found the change on the instance: not sent again.`
            : `The instance answered ${failure.code}, yet a re-read found the change on the instance.`,
        );
        continue;
      }
      const wait =
        (isRetryable(failure) || landed.resend) && tries < maxAttempts
          ? waitMs(failure, tries, input, now())
          : null;
      if (wait === null) failed(r, failure, notLanded(landed, tries));
      else again.push({ r, failure, wait });
    }
    await journalOutcomes();
    if (again.length === 0) break;
    const wait = Math.max(...again.map((a) => a.wait));
    const first = again[0]!;
    emit(
      'waiting',
      first.r.step,
      first.r.action.id,
      `${first.failure.message} Retrying in ${Math.ceil(wait / 1000)} s.`,
    );
    await (input.retry?.sleep ?? sleep)(wait, input.signal);
    if (input.signal?.aborted) {
      for (const { r, failure } of again)
        failed(r, failure, 'Not written: cancelled while waiting to retry.');
      await journalOutcomes();
      break;
    }
    pending = again.map((a) => a.r);
  }
  return { outcomes, refused: [] };
}

/** The sys_id a successful write answer names (a create's new record), or the action's own. */
function writtenSysId(action: WritableAction, result: BatchResponseItem['result']): string | null {
  if (action.op !== 'create') return action.sysId;
  const row = Array.isArray(result) ? result[0] : result;
  return row?.sys_id ?? null;
}

/** Whether a write is on the instance, by a re-read of it: a create by name, the others by sys_id. */
function landedIn(found: TouchedRows, action: WritableAction, body: Record<string, string>): Landed {
  return landed(action, body, liveRecordOf(found, action));
}

/**
 * What a re-read says about a write whose answer was lost. `resend`: a registry PATCH that changes nothing
 * but the client secret leaves no trace a re-read can see (the secret is never read back), so it is sent
 * again instead — a PATCH of an existing sys_id is idempotent: it cannot create a record, and the same
 * secret twice leaves the same registry (docs/reliability.md §4.6). A PATCH that also changes non-secret
 * fields is settled by them: one PATCH updates one record at once, secret included.
 */
interface Landed {
  written: boolean;
  sysId: string | null;
  resend?: boolean;
}

function landed(action: WritableAction, body: Record<string, string>, row: RawRecord | null): Landed {
  if (action.op === 'create') return { written: row !== null, sysId: row?.sys_id ?? null };
  if (action.op === 'delete') return { written: row === null, sysId: action.sysId };
  if (row && carriesSecret(action) && Object.keys(body).length === 0)
    return { written: false, sysId: action.sysId, resend: true };
  return { written: row !== null && matches(body, row), sysId: action.sysId };
}

function notLanded(landed: Landed, tries: number): string {
  const attempts = `${tries} attempt${tries > 1 ? 's' : ''}`;
  return landed.resend
    ? `Not confirmed: the client secret cannot be read back, and it was sent ${attempts} without an answer. The next apply sends it again.`
    : `Not written: a re-read proved the change is not on the instance (after ${attempts}).`;
}

/**
 * Consecutive writes none of which needs another's sys_id: each wave can go as one batch. A write whose
 * body names an action of the current wave starts the next one, so plan order is kept throughout.
 */
export function waves<A extends WritableAction>(writes: readonly A[]): A[][] {
  const out: A[][] = [];
  let current: A[] = [];
  for (const action of writes) {
    const needs = Object.values(action.body)
      .map(placeholderTarget)
      .filter((t): t is string => t !== null);
    if (needs.some((id) => current.some((a) => a.id === id))) {
      out.push(current);
      current = [];
    }
    current.push(action);
  }
  if (current.length) out.push(current);
  return out;
}

/** The touched records as the plan's own discovery saw them (freshPlan): creates absent, others `before`. */
function fromPlan(writes: readonly WritableAction[]): TouchedRows {
  const rows = new Map<string, RawRecord[]>();
  for (const a of writes) {
    if (a.op === 'create' || !a.before) continue;
    const list = rows.get(a.table) ?? [];
    list.push({ ...a.before, sys_id: a.before['sys_id'] ?? a.sysId ?? '' });
    rows.set(a.table, list);
  }
  return { rows, requests: 0 };
}

/**
 * A write whose fate nothing proved (the answer was lost and the re-read failed too): failed for now, and
 * left unsettled so resume re-reads it — one outcome for single requests and batch items alike.
 */
function unsettledOutcome(
  action: WritableAction,
  failure: ServiceNowFailure,
  readError: unknown,
): StepOutcome {
  const readFailure = readError instanceof ServiceNowError ? readError.failure : null;
  return {
    status: 'failed',
    sysId: action.sysId,
    error: failure,
    unsettled: true,
    settled:
      'Could not confirm whether this write reached the instance' +
      (readFailure ? ` (the re-read failed too: ${readFailure.message})` : '') +
      '. Resume the apply to settle it; nothing will be sent twice.',
  };
}

function refuse(input: RunInput, action: WritableAction, message: string): StepOutcome {
  const error: ServiceNowFailure = { code: 'unexpected', message, ambiguous: false };
  // Held for the next append (see checkStep): nothing was sent, and resume reads no "failed" line.
  input.journal.hold({ t: 'failed', actionId: action.id, error, at: input.now().toISOString() });
  return { status: 'failed', sysId: action.sysId, error, settled: 'Not written.' };
}

async function write(
  client: EngineClient,
  action: WritableAction,
  body: Record<string, string>,
): Promise<string | null> {
  switch (action.op) {
    case 'create': {
      const created = await client.create(action.table, body);
      return created.sys_id ?? null;
    }
    case 'update':
      // Addressed by sys_id in the same scope discovery read it in: an admin of a sub-domain must reach a
      // record of another domain that discovery found with query_no_domain (docs/servicenow.md §3.7).
      await client.update(action.table, requireSysId(action), body, {
        noDomain: true,
        ...writeParams(action),
      });
      return action.sysId;
    case 'delete':
      await client.remove(action.table, requireSysId(action));
      return action.sysId;
    default:
      throw new Error(`not a write: ${action.op}`);
  }
}

/** Whether the write is on the instance, from one re-read. */
async function settle(
  client: EngineClient,
  action: WritableAction,
  body: Record<string, string>,
): Promise<Landed> {
  if (action.op === 'create') {
    const rows = await client.list(action.table, {
      query: `name=${escapeQuery(action.name)}`,
      noDomain: true,
      limit: 10,
    });
    return landed(action, body, rows[0] ?? null);
  }
  return landed(action, body, await client.get(action.table, requireSysId(action), { noDomain: true }));
}

function requireSysId(action: WritableAction): string {
  if (!action.sysId) throw new Error(`${action.id} has no sys_id`);
  return action.sysId;
}

function escapeQuery(value: string): string {
  return value.replace(/\^/g, '^^');
}

function isRetryable(f: ServiceNowFailure): boolean {
  switch (f.code) {
    case 'rate_limited':
    case 'network':
    case 'timeout':
    case 'transaction_cancelled':
      return true;
    case 'unexpected':
      return f.status === 502 || f.status === 503 || f.status === 504;
    default:
      return false;
  }
}

function waitMs(f: ServiceNowFailure, tries: number, input: RunInput, now: Date): number | null {
  const maxWait = input.retry?.maxWaitMs ?? 15_000;
  const base = input.retry?.baseDelayMs ?? 500;
  if (f.code === 'rate_limited' && f.retryAt) {
    const until = Date.parse(f.retryAt) - now.getTime();
    if (Number.isNaN(until)) return Math.min(base * 2 ** (tries - 1), maxWait);
    return until > maxWait ? null : Math.max(0, until);
  }
  return Math.min(base * 2 ** (tries - 1), maxWait);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

// --- Helpers ---

function verb(action: WritableAction): string {
  return action.op === 'create' ? 'Creating' : action.op === 'delete' ? 'Deleting' : 'Updating';
}

/** The record a write action is about, as `live` holds it. */
function liveRecordOf(live: TouchedRows, action: WritableAction): RawRecord | null {
  if (action.op === 'create') return findRow(live, action.table, { name: action.name });
  return findRow(live, action.table, { sysId: action.sysId });
}

/** The body with `{{action-id}}` placeholders replaced by the sys_ids their steps produced; null if one is missing. */
function resolveBody(
  action: WritableAction,
  outcomes: Map<string, StepOutcome>,
): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(action.body)) {
    const target = placeholderTarget(value);
    if (!target) {
      out[field] = value;
      continue;
    }
    const dep = outcomes.get(target);
    if (dep?.status !== 'done' || !dep.sysId) return null;
    out[field] = dep.sysId;
  }
  return out;
}

function nextStepsFor(plan: Plan, outcomes: Map<string, StepOutcome>) {
  const creds: CredentialForNextStep[] = [];
  for (const a of plan.actions) {
    if (a.kind !== 'credential' || a.op === 'blocked') continue;
    const o = outcomes.get(a.id);
    const sysId = a.op === 'create' ? (o?.status === 'done' ? o.sysId : null) : a.sysId;
    if (!sysId) continue;
    creds.push({
      name: a.name,
      sysId,
      grant: a.oauth?.grant ?? null,
      profileSysId: a.oauth?.profileSysId ?? null,
    });
  }
  return buildNextSteps(plan.instanceUrl, creds);
}
