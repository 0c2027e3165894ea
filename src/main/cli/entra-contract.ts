// TEMPORARY (issue 10): the fields reg-engine adds to the operations API, as the issue-10 contract names
// them, so the CLI can be built before that commit lands. Deleted once main has them.
import type { Plan } from '../../shared/domain/plan';
import type { WalkupFlowStatus } from '../../shared/domain/walkup-status';
import type { ApplyOutcome } from '../operations';
import type { SecretStore } from '../secrets/secret-store';
import type { EntraCheckRequest } from './entra-options';

export interface PlanEntraCheck {
  status: 'passed' | 'failed' | 'skipped' | 'not_run';
  authority: string;
  message: string;
  field?: string;
  roles?: string[];
}

export type PlanWithEntra = Plan & { entraCheck?: PlanEntraCheck };
export type OutcomeWithWalkup = ApplyOutcome & { walkup?: { flows: WalkupFlowStatus[] } };

/** InstanceRun.secrets and ApplyRequest.entraCheck. */
export interface EntraRun {
  secrets?: SecretStore;
  entraCheck?: EntraCheckRequest;
}
