// `spokesmith drift a,b,c | --all`: re-discovers each instance (reads only) and lists those whose records no
// longer match what their last successful apply left, field by field. Exit 0 when every instance checked
// matches, 1 when drift was found or an instance could not be checked, 2 on bad usage (nothing sent).
// Where the desired state knows when the Entra client secret expires, each instance says so, and one
// expiring within SECRET_EXPIRY_WARNING_DAYS (or expired) also makes the exit code 1.
import type { CommandContext, CommonOptions } from '../context';
import { resolveDesired, type DesiredOptions } from '../desired-source';
import { EXIT, type ExitCode } from '../exit-codes';
import { connectInstance, locateInstance, workspaceOf, type InstanceTarget } from '../instance-target';
import { renderTable } from '../output/text-table';
import type { DesiredState } from '../../../shared/domain/desired-state';
import {
  SECRET_EXPIRY_WARNING_DAYS,
  secretExpiry,
  type SecretExpiry,
} from '../../../shared/domain/walkup-status';
import type { DriftDifferenceView } from '../../../shared/ipc/contract';
import { detectDrift, type DriftOutcome, type DriftTarget } from '../../fleet';
import { nothingSent } from './prepare';

/** One instance's drift as the CLI shows it (the differing fields: the type the app shows too). */
type DriftResult =
  | {
      instanceId: string;
      state: 'drift' | 'in_sync';
      applyId: string;
      appliedAt: string;
      differences: DriftDifferenceView[];
    }
  | { instanceId: string; state: 'never_applied' | 'error'; message: string };

function driftResult(o: DriftOutcome): DriftResult {
  if (!('report' in o)) return { instanceId: o.instanceId, state: o.state, message: o.message };
  return {
    instanceId: o.instanceId,
    state: o.state,
    applyId: o.report.applyId,
    appliedAt: o.report.appliedAt,
    differences: o.report.differences.map((d) => ({
      record: d.record,
      table: d.table,
      field: d.field,
      applied: d.applied,
      current: d.current,
    })),
  };
}

/**
 * The desired state (config or template) is read with "now" at the epoch, so an expiry date already past
 * is accepted here: plan and apply refuse it as bad input, but for drift an expired secret is exactly what
 * to report.
 */
const ACCEPT_ANY_EXPIRY = new Date(0);

export interface DriftOptions extends CommonOptions, DesiredOptions {
  all?: boolean;
}

export async function driftCommand(
  ctx: CommandContext,
  names: string[],
  options: DriftOptions,
): Promise<ExitCode> {
  const workspace = await workspaceOf(ctx, options.workspace);
  const problems: string[] = [];
  if (options.all && names.length) problems.push('  - give instances or --all, not both.');
  const wanted = options.all ? workspace.instances.list().map((i) => i.id) : names;
  if (!wanted.length) {
    problems.push(
      options.all ? '  - --all: the workspace has no saved instances.' : '  - no instance given.',
    );
  }
  const located: Array<{ target: InstanceTarget; desired: DesiredState }> = [];
  for (const name of wanted) {
    const found = locateInstance(workspace, name);
    problems.push(...found.problems.map((p) => `  - ${p}`));
    if (!found.target || located.some((l) => l.target.id === found.target?.id)) continue;
    // Discovery reads every connection and credential; the desired state only decides the MID and
    // domain reads, so the instance's own template (or the config) is used as for apply.
    const resolved = await resolveDesired(
      ctx.io.cwd,
      workspace,
      found.target.saved,
      options,
      ACCEPT_ANY_EXPIRY,
    );
    for (const p of resolved.problems) if (!problems.includes(p)) problems.push(p);
    if (resolved.desired) located.push({ target: found.target, desired: resolved.desired });
  }
  if (problems.length) throw nothingSent(problems);

  const targets: DriftTarget[] = [];
  for (const { target, desired } of located) {
    const { client } = await connectInstance(ctx, target);
    targets.push({ instanceId: target.id, client, desired });
  }
  if (!options.json) ctx.err(ctx.style.dim(`Checking ${targets.length} instance(s) for drift…`));
  const results = (await detectDrift({ targets, workspace })).outcomes.map(driftResult);
  const labelOf = new Map(located.map(({ target }) => [target.id, target.label]));
  const drifted = results.filter((r) => r.state === 'drift');
  const failed = results.filter((r) => r.state === 'error');
  // Where the desired state knows the Entra client secret's expiry (issue 10 item 6).
  const now = ctx.now();
  const expiries = new Map<string, SecretExpiry>();
  for (const { target, desired } of located) {
    const expiry = secretExpiry(desired.entra?.secretExpires, now);
    if (expiry) expiries.set(target.id, expiry);
  }
  const expiring = [...expiries].filter(([, e]) => e.warn).map(([id]) => labelOf.get(id) ?? id);

  if (options.json) {
    ctx.json({
      drifted: drifted.map((r) => labelOf.get(r.instanceId) ?? r.instanceId),
      secret_expiring: expiring,
      instances: results.map((r) => ({
        ...driftJson(r, labelOf.get(r.instanceId) ?? r.instanceId),
        ...expiryJson(expiries.get(r.instanceId)),
      })),
    });
  } else {
    for (const line of renderDrift(results, labelOf, ctx)) ctx.out(line);
    for (const line of renderExpiries(expiries, labelOf, ctx)) ctx.out(line);
  }
  return drifted.length || failed.length || expiring.length ? EXIT.failed : EXIT.ok;
}

function expiryJson(expiry: SecretExpiry | undefined) {
  if (!expiry) return {};
  return {
    secret_expiry: {
      expires_on: expiry.expiresOn,
      days_left: expiry.daysLeft,
      warning: expiry.warn,
      message: expiry.message,
    },
  };
}

function renderExpiries(
  expiries: Map<string, SecretExpiry>,
  labelOf: Map<string, string>,
  ctx: CommandContext,
): string[] {
  if (!expiries.size) return [];
  const lines = [''];
  for (const [id, expiry] of expiries) {
    const text = `${labelOf.get(id) ?? id}: Entra ${expiry.message} (${expiry.expiresOn}).`;
    lines.push(expiry.warn ? ctx.style.red(text) : text);
  }
  if ([...expiries.values()].some((e) => e.warn))
    lines.push(
      ctx.style.dim(
        `Within ${SECRET_EXPIRY_WARNING_DAYS} days: create a new client secret in Entra, then ` +
          'ENTRA_CLIENT_SECRET=… spokesmith apply <instance> --entra-secret-expires YYYY-MM-DD.',
      ),
    );
  return lines;
}

/** snake_case like every other --json output of the CLI. */
function driftJson(r: DriftResult, instance: string) {
  const base = { instance, instance_id: r.instanceId, state: r.state };
  if ('message' in r) return { ...base, message: r.message };
  return { ...base, apply_id: r.applyId, applied_at: r.appliedAt, differences: r.differences };
}

const STATE_LABEL: Record<DriftResult['state'], string> = {
  drift: 'DRIFT',
  in_sync: 'matches',
  never_applied: 'never applied',
  error: 'not checked',
};

function renderDrift(results: DriftResult[], labelOf: Map<string, string>, ctx: CommandContext): string[] {
  const rows: string[][] = [];
  for (const r of results) {
    const instance = labelOf.get(r.instanceId) ?? r.instanceId;
    const state = STATE_LABEL[r.state];
    if ('message' in r) {
      rows.push([instance, state, '', '', r.message, '']);
    } else if (r.state === 'drift') {
      for (const d of r.differences) {
        rows.push([instance, state, d.record, d.field, d.applied ?? '(empty)', d.current ?? '(empty)']);
      }
    } else {
      rows.push([instance, state, '', '', `apply ${r.applyId}`, '']);
    }
  }
  const drifted = results.filter((r) => r.state === 'drift').length;
  const failed = results.filter((r) => r.state === 'error').length;
  const summary =
    drifted === 0 && failed === 0
      ? ctx.style.green(`No drift: every instance checked matches its last apply.`)
      : ctx.style.red(
          `${drifted} of ${results.length} instance(s) drifted from their last apply` +
            (failed ? `; ${failed} could not be checked.` : '.'),
        );
  return [
    ...renderTable(['instance', 'result', 'record', 'field', 'applied', 'now'], rows),
    '',
    summary,
    ...(drifted
      ? [ctx.style.dim('To put them back: spokesmith apply <instance> (shows the plan first).')]
      : []),
  ];
}
