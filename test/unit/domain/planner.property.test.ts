// Properties of the planner and the rollback planner over random instances and random (valid) forms.
// The plan is applied by a faithful in-memory model of what the instance does with each action (a create
// adds a row with the body's fields, an update overwrites the body's fields, a delete removes the row);
// test/integration/engine/plan.property.test.ts checks the first property against the simulator.
//
// On failure fast-check prints the seed and the shrunk counterexample; re-run one with
// `fc.assert(…, { seed, path })`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../src/shared/domain/planner';
import { planRollback } from '../../../src/shared/domain/rollback-planner';
import { validateDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { hasWrites, isBlocked, type Plan, type PlanAction } from '../../../src/shared/domain/plan';
import type { ApplyRecord, RecordBeforeAfter } from '../../../src/shared/domain/apply';
import { placeholderTarget } from '../../../src/shared/domain/record-fields';
import type { ConnectionRecord, CredentialRecord, Snapshot } from '../../../src/shared/domain/snapshot';
import { IDS, freshSnapshot } from '../engine/snapshot-fixtures';

const NOW = new Date('2026-02-03T04:05:06.000Z');
const RUNS = { numRuns: 100 };

// --- Random instances ---

const CONNECTION_NAMES = [
  'Exchange_Online_Connection',
  'Exchange_Online_Connection_clientCred',
  'MS Graph 1',
  'MS Graph 2',
  'Other_Connection',
];
const CREDENTIAL_NAMES = [
  'Exchange_Online_Credentials',
  'Exchange_Online_Credentials_clientCred',
  'MS Graph 1',
  'Shared_Credential',
];
const ALIAS_SYS_IDS = [IDS.aliasMain, IDS.aliasClientCred, 'a-foreign-alias'];
const PROFILE_SYS_IDS = [IDS.profileAuthCode, IDS.profileClientCred, 'p-foreign-profile'];
const DOMAIN_SYS_IDS = ['global', IDS.domainInitech];
const URLS = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/v1.0',
  'https://GRAPH.microsoft.com',
];

const credentialArb = (name: string, index: number): fc.Arbitrary<CredentialRecord> =>
  fc.record({ profile: fc.constantFrom(...PROFILE_SYS_IDS), active: fc.boolean() }).map((r) => {
    const sysId = `cred${index}`;
    return {
      sysId,
      name,
      className: 'oauth_2_0_credentials',
      oauthProfileSysId: r.profile,
      active: r.active,
      domainSysId: 'global',
      raw: {
        sys_id: sysId,
        name,
        oauth_entity_profile: r.profile,
        active: String(r.active),
        applies_to: 'all',
        order: '100',
        sys_domain: 'global',
      },
    };
  });

const connectionArb = (
  name: string,
  index: number,
  credentialSysIds: string[],
): fc.Arbitrary<ConnectionRecord> =>
  fc
    .record({
      alias: fc.constantFrom(...ALIAS_SYS_IDS),
      credential: fc.constantFrom<string | null>(null, ...credentialSysIds),
      url: fc.constantFrom(...URLS),
      active: fc.boolean(),
      domain: fc.constantFrom(...DOMAIN_SYS_IDS),
    })
    .map((r) =>
      connectionRecord(`conn${index}`, {
        name,
        connection_alias: r.alias,
        credential: r.credential ?? '',
        connection_url: r.url,
        use_mid: 'false',
        mid_selection: '',
        mid_server: '',
        active: String(r.active),
        sys_domain: r.domain,
      }),
    );

/** A connection as discovery reports it, from its raw fields. */
function connectionRecord(sysId: string, raw: Record<string, string>): ConnectionRecord {
  const full: Record<string, string> = { ...raw, sys_id: sysId };
  return {
    sysId,
    name: full.name ?? '',
    aliasSysId: full.connection_alias || null,
    credentialSysId: full.credential || null,
    connectionUrl: full.connection_url ?? '',
    useMid: full.use_mid === 'true',
    midSelection: full.mid_selection || null,
    midServerSysId: full.mid_server || null,
    active: full.active === 'true',
    domainSysId: full.sys_domain || 'global',
    raw: full,
  };
}

function credentialRecord(sysId: string, raw: Record<string, string>): CredentialRecord {
  const full: Record<string, string> = { ...raw, sys_id: sysId };
  return {
    sysId,
    name: full.name ?? '',
    className: 'oauth_2_0_credentials',
    oauthProfileSysId: full.oauth_entity_profile || null,
    active: full.active === 'true',
    domainSysId: full.sys_domain || 'global',
    raw: full,
  };
}

const snapshotArb: fc.Arbitrary<Snapshot> = fc
  .record({
    credentialNames: fc.subarray(CREDENTIAL_NAMES),
    connectionNames: fc.subarray(CONNECTION_NAMES),
    multipleMain: fc.boolean(),
    multipleClientCred: fc.boolean(),
  })
  .chain(({ credentialNames, connectionNames, multipleMain, multipleClientCred }) =>
    fc.tuple(...credentialNames.map((n, i) => credentialArb(n, i))).chain((credentials) =>
      fc
        .tuple(
          ...connectionNames.map((n, i) =>
            connectionArb(
              n,
              i,
              credentials.map((c) => c.sysId),
            ),
          ),
        )
        .map((connections) => {
          const s = freshSnapshot();
          s.aliases.main!.multipleConnections = multipleMain;
          s.aliases.clientCred!.multipleConnections = multipleClientCred;
          s.credentials = credentials;
          s.connections = connections;
          return s;
        }),
    ),
  );

// --- Random forms (only those validateDesiredState accepts: what a person can submit) ---

const formArb = (key: 'main' | 'clientCred') =>
  fc
    .record({
      name: fc.constantFrom(...CONNECTION_NAMES),
      credential: fc.constantFrom(...CREDENTIAL_NAMES),
      connectionUrl: fc.constantFrom(...URLS),
      active: fc.boolean(),
      domain: fc.constantFrom('global', 'INITECH'),
      grant: fc.constantFrom('authorization_code' as const, 'client_credentials' as const),
      mid: fc.constantFrom('none', 'auto', 'mid-up', 'mid-down'),
    })
    .map((f) => ({
      alias: key === 'main' ? 'Microsoft_Exchange_Online' : 'Microsoft_Exchange_Online_clientCred',
      name: f.name,
      credential: f.credential,
      urlBuilder: false,
      connectionUrl: f.connectionUrl,
      useMid: f.mid !== 'none',
      ...(f.mid === 'auto' ? { midSelection: 'auto' as const } : {}),
      ...(f.mid.startsWith('mid-') ? { midSelection: 'server' as const, midServer: f.mid } : {}),
      midCapabilities: [],
      active: f.active,
      domain: f.domain,
      grant: f.grant,
    }));

const desiredArb: fc.Arbitrary<DesiredState> = fc
  .record({ main: formArb('main'), clientCred: formArb('clientCred') })
  .map((input) => validateDesiredState(input).desired)
  .filter((d): d is DesiredState => d !== undefined);

// --- The in-memory instance ---

interface Applied {
  snapshot: Snapshot;
  record: ApplyRecord;
}

const clone = (s: Snapshot): Snapshot => structuredClone(s);

/** What an instance does with each write of the plan, in order; every step is done. */
function applyInMemory(
  snapshot: Snapshot,
  plan: Plan,
  ran: (a: PlanAction) => boolean = () => true,
): Applied {
  const s = clone(snapshot);
  const created = new Map<string, string>();
  const records: RecordBeforeAfter[] = [];
  const steps: ApplyRecord['steps'] = [];
  let counter = 0;
  for (const action of plan.actions) {
    const write = action.op === 'create' || action.op === 'update';
    const runs = write && ran(action);
    steps.push({
      actionId: action.id,
      table: action.table,
      name: action.name,
      op: action.op,
      status: runs ? 'done' : write ? 'not_run' : 'skipped',
      sysId: action.sysId,
    });
    if (!write) continue;
    if (!runs) {
      records.push(recordOf(action, action.sysId, action.before ?? null, null));
      continue;
    }
    const body = Object.fromEntries(
      Object.entries(action.body).map(([k, v]) => {
        const target = placeholderTarget(v);
        return [k, target ? (created.get(target) ?? '') : v];
      }),
    );
    if (action.op === 'create') {
      counter += 1;
      const sysId = `new${counter}`;
      created.set(action.id, sysId);
      if (action.kind === 'credential') s.credentials.push(credentialRecord(sysId, body));
      else s.connections.push(connectionRecord(sysId, body));
      steps[steps.length - 1]!.sysId = sysId;
      records.push(recordOf(action, sysId, null, { ...body, sys_id: sysId }));
    } else {
      const index = s.connections.findIndex((c) => c.sysId === action.sysId);
      const before = s.connections[index]!;
      const next = connectionRecord(before.sysId, { ...before.raw, ...body });
      s.connections[index] = next;
      records.push(recordOf(action, before.sysId, before.raw, next.raw));
    }
  }
  return {
    snapshot: s,
    record: {
      version: 1,
      applyId: 'a1',
      kind: 'apply',
      instanceUrl: plan.instanceUrl,
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      status: 'succeeded',
      plan,
      steps,
      records,
      verification: null,
      nextSteps: [],
      requests: 0,
    },
  };
}

function recordOf(
  action: PlanAction,
  sysId: string | null,
  before: Record<string, string> | null,
  after: Record<string, string> | null,
): RecordBeforeAfter {
  return {
    actionId: action.id,
    table: action.table,
    sysId,
    name: action.name,
    op: action.op,
    before,
    after,
    verified: true,
    mismatches: [],
  };
}

/** A rollback plan run in memory: deletes remove the row, updates overwrite the body's fields. */
function rollbackInMemory(snapshot: Snapshot, plan: Plan): Snapshot {
  const s = clone(snapshot);
  for (const action of plan.actions) {
    if (action.op === 'delete') {
      s.connections = s.connections.filter((c) => c.sysId !== action.sysId);
      s.credentials = s.credentials.filter((c) => c.sysId !== action.sysId);
    }
    if (action.op === 'update') {
      const index = s.connections.findIndex((c) => c.sysId === action.sysId);
      const current = s.connections[index]!;
      s.connections[index] = connectionRecord(current.sysId, { ...current.raw, ...action.body });
    }
  }
  return s;
}

const rowsBySysId = (s: Snapshot) =>
  Object.fromEntries([...s.credentials, ...s.connections].map((r) => [r.sysId, r.raw]));

// --- Properties ---

describe('planner properties', () => {
  it('apply then plan again: nothing left to do', () => {
    fc.assert(
      fc.property(snapshotArb, desiredArb, (snapshot, desired) => {
        const plan = buildPlan(snapshot, desired, NOW);
        fc.pre(!isBlocked(plan));
        const { snapshot: after } = applyInMemory(snapshot, plan);
        const again = buildPlan(after, desired, NOW);
        expect(again.actions.map((a) => `${a.id} ${a.op}`)).toEqual(again.actions.map((a) => `${a.id} noop`));
        expect(hasWrites(again)).toBe(false);
      }),
      RUNS,
    );
  });

  it("after the apply, each form's connection holds what the form says", () => {
    fc.assert(
      fc.property(snapshotArb, desiredArb, (snapshot, desired) => {
        const plan = buildPlan(snapshot, desired, NOW);
        fc.pre(!isBlocked(plan));
        const { snapshot: after } = applyInMemory(snapshot, plan);
        for (const key of ['main', 'clientCred'] as const) {
          const form = desired[key];
          const conn = after.connections.find((c) => c.name === form.name);
          expect(conn, form.name).toBeDefined();
          expect(conn!.aliasSysId).toBe(after.aliases[key]!.sysId);
          expect(conn!.connectionUrl).toBe(form.connectionUrl);
          expect(conn!.active).toBe(form.active);
          expect(conn!.domainSysId).toBe(form.domain === 'global' ? 'global' : IDS.domainInitech);
          expect(conn!.useMid).toBe(form.useMid);
          const credential = after.credentials.find((c) => c.sysId === conn!.credentialSysId);
          expect(credential?.name).toBe(form.credential);
        }
      }),
      RUNS,
    );
  });

  it('a blocked plan is blocked for a reason and is never half-written by the engine', () => {
    fc.assert(
      fc.property(snapshotArb, desiredArb, (snapshot, desired) => {
        const plan = buildPlan(snapshot, desired, NOW);
        for (const a of plan.actions) {
          if (a.op === 'blocked') expect(a.reason, a.id).toMatch(/\S/);
          else expect(a.reason, a.id).toBeUndefined();
        }
      }),
      RUNS,
    );
  });

  it("the plan touches only the two aliases' connections and the forms' credentials", () => {
    fc.assert(
      fc.property(snapshotArb, desiredArb, (snapshot, desired) => {
        const plan = buildPlan(snapshot, desired, NOW);
        const formCredentials = new Set([desired.main.credential, desired.clientCred.credential]);
        for (const a of plan.actions) {
          if (a.kind === 'credential') {
            // Existing credentials are used as they are: never updated, only named by the forms.
            expect(['create', 'noop', 'blocked']).toContain(a.op);
            expect(formCredentials.has(a.name)).toBe(true);
            if (a.sysId) expect(snapshot.credentials.find((c) => c.sysId === a.sysId)?.name).toBe(a.name);
            continue;
          }
          if (a.op === 'create') expect(a.body.connection_alias).toBe(snapshot.aliases[a.alias]!.sysId);
          if (a.op === 'update' || a.op === 'noop') {
            const target = snapshot.connections.find((c) => c.sysId === a.sysId);
            expect(target, a.id).toBeDefined();
            expect(target!.aliasSysId).toBe(snapshot.aliases[a.alias]!.sysId);
          }
        }
        // Writes only on the records above, and at most one per record.
        const written = plan.actions.filter((a) => a.op === 'update').map((a) => a.sysId);
        expect(new Set(written).size).toBe(written.length);
        expect(plan.actions.every((a) => a.op !== 'delete')).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('rollback planner properties', () => {
  it('rollback(apply) restores every record field by field', () => {
    fc.assert(
      fc.property(snapshotArb, desiredArb, (snapshot, desired) => {
        const plan = buildPlan(snapshot, desired, NOW);
        fc.pre(!isBlocked(plan) && hasWrites(plan));
        const applied = applyInMemory(snapshot, plan);
        const rollback = planRollback(applied.record, applied.snapshot, NOW);
        expect(rollback.actions.filter((a) => a.op === 'blocked')).toEqual([]);
        const restored = rollbackInMemory(applied.snapshot, rollback);
        expect(rowsBySysId(restored)).toEqual(rowsBySysId(snapshot));
      }),
      RUNS,
    );
  });

  it('a rollback never undoes a step that did not run', () => {
    fc.assert(
      fc.property(snapshotArb, desiredArb, fc.func(fc.boolean()), (snapshot, desired, runs) => {
        const plan = buildPlan(snapshot, desired, NOW);
        fc.pre(!isBlocked(plan) && hasWrites(plan));
        const applied = applyInMemory(snapshot, plan, (a) => runs(a.id));
        const done = new Set(applied.record.steps.filter((s) => s.status === 'done').map((s) => s.actionId));
        const rollback = planRollback(applied.record, applied.snapshot, NOW);
        for (const a of rollback.actions) {
          expect(done.has(a.id.replace(/^rollback:/, '')), a.id).toBe(true);
        }
        // Records the apply never touched stay exactly as they were.
        const touched = new Set(applied.record.steps.filter((s) => s.status === 'done').map((s) => s.sysId));
        const restored = rollbackInMemory(applied.snapshot, rollback);
        for (const [sysId, raw] of Object.entries(rowsBySysId(applied.snapshot))) {
          if (!touched.has(sysId)) expect(rowsBySysId(restored)[sysId]).toEqual(raw);
        }
      }),
      RUNS,
    );
  });
});
