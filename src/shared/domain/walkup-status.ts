// What is left for a person once the registries and connections are written (issue 10): whether the two
// Walk-up flows are active (docs/servicenow.md §2 step 6) and when the Entra client secret expires. Pure:
// the snapshot and an injected `now` decide everything.
import { WALKUP_FLOWS, type WalkupFlowName } from '../servicenow/spoke';
import { isIsoDate } from './desired-state';
import type { Snapshot } from './snapshot';

export interface WalkupFlowStatus {
  name: WalkupFlowName;
  /** unknown: discovery did not read the flows (older snapshot, refused read, no Batch API). */
  state: 'active' | 'inactive' | 'missing' | 'unknown';
  /** sys_hub_flow.status as read (`published`, `draft`, …), when found. */
  status: string | null;
  /**
   * Opens the flow's record on the instance. The Flow Designer / Workflow Studio URL differs by release
   * (UNCERTAIN, docs/servicenow.md §8), so the plain record page is used.
   */
  url: string | null;
  message: string;
}

export function walkupFlowStatus(snapshot: Snapshot): WalkupFlowStatus[] {
  const base = snapshot.instanceUrl.replace(/\/+$/, '');
  return WALKUP_FLOWS.map((name) => {
    if (!snapshot.flows) {
      return {
        name,
        state: 'unknown',
        status: null,
        url: null,
        message: `${name}: not read; discover again to see it.`,
      };
    }
    const flow = snapshot.flows.find((f) => f.name === name);
    if (!flow) {
      return {
        name,
        state: 'missing',
        status: null,
        url: null,
        message: `${name}: not found on this instance; is the Walk-up Experience plugin (com.snc.walkup) installed?`,
      };
    }
    const url = `${base}/sys_hub_flow.do?sys_id=${encodeURIComponent(flow.sysId)}`;
    return flow.active
      ? { name, state: 'active', status: flow.status, url, message: `${name}: active.` }
      : {
          name,
          state: 'inactive',
          status: flow.status,
          url,
          message: `${name}: inactive; open it in Flow Designer and activate it.`,
        };
  });
}

/** `spokesmith drift` and the Instances/Fleet/Drift views warn within this many days (issue 10 §6). */
export const SECRET_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export interface SecretExpiry {
  expiresOn: string;
  /** Whole days from today (UTC) to the expiry date: 0 today, negative once past. */
  daysLeft: number;
  /** Within SECRET_EXPIRY_WARNING_DAYS (or past). */
  warn: boolean;
  message: string;
}

/** null when the expiry date is not known (it is optional in the desired state) or not a date. */
export function secretExpiry(expiresOn: string | undefined, now: Date): SecretExpiry | null {
  if (!expiresOn || !isIsoDate(expiresOn)) return null;
  const end = Date.parse(`${expiresOn}T00:00:00.000Z`);
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00.000Z`);
  const daysLeft = Math.round((end - today) / DAY_MS);
  const message =
    daysLeft > 1
      ? `client secret expires in ${daysLeft} days`
      : daysLeft === 1
        ? 'client secret expires tomorrow'
        : daysLeft === 0
          ? 'client secret expires today'
          : `client secret expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`;
  return { expiresOn, daysLeft, warn: daysLeft <= SECRET_EXPIRY_WARNING_DAYS, message };
}
