// What the fleet screens show per instance, independent of how main answers: the state class turns IPC
// results into these rows, so the components stay fed by props (and testable without the IPC shapes).
import type { Plan, PlanOp } from '../../../shared/domain/plan';
import type { SecretExpiry } from '../../../shared/domain/walkup-status';

/** One instance's plan on the fleet review. */
export interface FleetPlanRow {
  id: string;
  name: string;
  url: string;
  /** Whether a plan could be made (false: not ready, unreachable with no snapshot, bad template…). */
  ok: boolean;
  /** Why not, or a note about the plan (e.g. made offline from the last snapshot). */
  message: string | null;
  counts: Record<PlanOp, number> | null;
  /** Age of the snapshot the plan was made from, in seconds; null when unknown. */
  snapshotAgeSeconds: number | null;
  plan: Plan | null;
  /** Nothing to plan from yet (never discovered, not answering): an apply is queued and plans later. */
  plannedWhenAnswers?: boolean;
  /** When the Entra client secret of the instance's desired state expires, if known. */
  secretExpiry?: SecretExpiry | null;
}

/** One instance's live progress during "Apply all". */
export interface FleetProgressRow {
  id: string;
  name: string;
  phase: string;
  step: number;
  total: number;
  message: string;
}

export type FleetOutcomeKind = 'succeeded' | 'failed' | 'queued';

/** One instance's result after "Apply all". */
export interface FleetOutcomeRow {
  id: string;
  name: string;
  kind: FleetOutcomeKind;
  /** Plain words: what happened, or why it failed. */
  message: string;
}

/** Words for the fleet's progress phases (main's FleetPhase); unknown phases are shown as sent. */
export const PHASE_LABELS: Record<string, string> = {
  waiting: 'Waiting',
  queued: 'Queued',
  resuming: 'Resuming',
  discovering: 'Reading the instance',
  planning: 'Planning',
  applying: 'Applying',
  done: 'Done',
  failed: 'Failed',
};

export function phaseLabel(phase: string): string {
  return PHASE_LABELS[phase] ?? phase;
}

/** Records the plan writes (create + update). */
export function changesOf(row: FleetPlanRow): number {
  return row.counts ? row.counts.create + row.counts.update : 0;
}
