// The two Application Registries written by apply (issue 10 §2, §3), through the operations layer every
// front end calls, against the embedded instance: the secret is written usable (password2 with
// sysparm_input_display_value=true), exactly once, remembered by fingerprint only, re-sent only when a
// re-read cannot prove it landed, and found in no file, record or message.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApplyStore, journalPath, readJournal } from '../../../src/main/engine';
import { createLogger } from '../../../src/main/log/logger';
import { resumeInstance, rollbackInstance } from '../../../src/main/operations';
import { saveEntraSecret } from '../../../src/main/secrets/entra-secret';
import { secretMatches } from '../../../src/main/simulator/auth/secrets';
import type { OperationProgress } from '../../../src/main/operations';
import { OAUTH_REGISTRIES } from '../../../src/shared/servicenow/spoke';
import { registryFields } from '../../../src/shared/domain/registry-fields';
import type { ApplyProgress } from '../../../src/shared/domain/apply';
import { rowsNamed, writesSent } from '../engine/harness';
import { applyWith, entraSetup, type EntraSetup } from './fixture';

async function setup(options: Parameters<typeof entraSetup>[0] = {}): Promise<EntraSetup> {
  const s = await entraSetup(options);
  return s;
}

const GRANTS = ['authorization_code', 'client_credentials'] as const;
const registryRow = (s: EntraSetup, grant: (typeof GRANTS)[number]) =>
  s.h.sim.db.find('oauth_entity', (r) => r.name === OAUTH_REGISTRIES[grant].entityName)!;

/** Both registries hold the derived fields and a usable secret equal to `secret`. */
function expectRegistries(s: EntraSetup, secret: string) {
  const wanted = registryFields(s.desired.entra!, s.h.sim.url);
  for (const grant of GRANTS) {
    const row = registryRow(s, grant);
    for (const [element, value] of Object.entries(wanted[grant])) expect(row[element], element).toBe(value);
    // Usable only when written with sysparm_input_display_value=true (src/main/simulator/auth/secrets.ts).
    expect(secretMatches(row.client_secret, secret), `${grant} secret usable`).toBe(true);
  }
}

/** Every file under the workspace, as bytes: the secret must be in none, in any encoding it travels in. */
async function expectNowhereOnDisk(dir: string, secret: string) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  expect(files.length).toBeGreaterThan(3);
  const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
  for (const file of files) {
    const bytes = await readFile(file);
    for (const form of forms) expect(bytes.includes(form), `${file} holds the secret`).toBe(false);
  }
}

const registryWrites = (s: EntraSetup) =>
  writesSent(s.h.sim).filter((w) => w.method === 'PATCH' && w.path.includes('/oauth_entity/'));
const FAST = { timeouts: { responseMs: 300, requestMs: 600 } };

describe('apply writes the Application Registries', () => {
  it('fresh: both registries in the connections’ batch, secret usable, verified; a re-apply writes nothing', async () => {
    const s = await setup();
    const secret = s.h.sim.entraApp.clientSecret;
    const progress: string[] = [];
    const steps: ApplyProgress['message'][] = [];
    // Every request the client makes is logged at debug level: none of those lines may hold the secret
    // (it is not registered with the logger for masking, so this checks it never reaches a log call).
    const logLines: string[] = [];
    const client = s.h.newClient({
      logger: createLogger({ sink: (line) => logLines.push(line), level: 'debug' }),
    });
    const outcome = await applyWith(s, {
      client,
      onProgress: (p: OperationProgress) => progress.push(p.message),
      onApplyProgress: (p) => steps.push(p.message),
    });
    expect(outcome.status).toBe('provisioned');
    expect(outcome.plan?.entraCheck?.status).toBe('passed');
    expectRegistries(s, secret);
    // The Walk-up flows, read only: they ship inactive, each with a link to open it.
    expect(outcome.walkup?.flows.map((f) => [f.name, f.state])).toEqual([
      ['Create Walk-up Appointment Calendar Event', 'inactive'],
      ['Update/Delete Walk-up Appointment Calendar Event', 'inactive'],
    ]);
    expect(
      outcome.walkup?.flows.every((f) => f.url?.startsWith(`${s.h.sim.url}/sys_hub_flow.do?sys_id=`)),
    ).toBe(true);

    const writes = writesSent(s.h.sim);
    expect(writes.map((w) => `${w.method} ${w.path.split('/').slice(0, 5).join('/')}`)).toEqual([
      'POST /api/now/table/oauth_2_0_credentials',
      'POST /api/now/table/oauth_2_0_credentials',
      'POST /api/now/table/http_connection',
      'POST /api/now/table/http_connection',
      'PATCH /api/now/table/oauth_entity',
      'PATCH /api/now/table/oauth_entity',
    ]);
    // No dependency on the credentials: the registries ride in the connections' batch.
    expect(writes[4]?.batch).toBe(writes[2]?.batch);
    expect(writes[5]?.batch).toBe(writes[2]?.batch);

    const record = outcome.record!;
    const registrySteps = record.steps.filter((st) => st.kind === 'registry');
    expect(registrySteps.map((st) => [st.actionId, st.op, st.status])).toEqual([
      ['registry:authorization_code', 'update', 'done'],
      ['registry:client_credentials', 'update', 'done'],
    ]);
    const registryRecords = record.records.filter((r) => r.table === 'oauth_entity');
    expect(registryRecords.every((r) => r.verified)).toBe(true);
    // What the record keeps of a registry never holds the client_secret field, not even its mask.
    for (const r of registryRecords) {
      expect(r.before).not.toHaveProperty('client_secret');
      expect(r.after).not.toHaveProperty('client_secret');
    }
    expect(logLines.length).toBeGreaterThan(3);
    for (const text of [JSON.stringify(outcome), ...progress, ...steps, ...logLines])
      expect(text).not.toContain(secret);
    await expectNowhereOnDisk(s.h.dir, secret);

    // Same secret again: the fingerprint says unchanged, so nothing is written (not even the check's
    // outcome changes that).
    const create = s.h.sim.db.find(
      'sys_hub_flow',
      (f) => f.name === 'Create Walk-up Appointment Calendar Event',
    )!;
    s.h.sim.db.update('sys_hub_flow', create.sys_id!, { active: 'true' });
    s.h.sim.clearLog();
    const again = await applyWith(s);
    expect(again.status).toBe('unchanged');
    expect(again.walkup?.flows.map((f) => f.state)).toEqual(['active', 'inactive']);
    expect(again.plan?.registries?.map((r) => [r.op, r.secret])).toEqual([
      ['noop', 'unchanged'],
      ['noop', 'unchanged'],
    ]);
    expect(writesSent(s.h.sim)).toEqual([]);
  });

  it('a different secret in the keychain: both registries get it (replace), nothing else is written', async () => {
    const s = await setup();
    await applyWith(s);
    const next = 'spokesmith-second-secret';
    await saveEntraSecret(s.secrets, s.instanceId, next);
    s.h.sim.configureEntra({ clientSecret: next });
    s.h.sim.clearLog();

    const outcome = await applyWith(s);
    expect(outcome.status).toBe('provisioned');
    expect(outcome.plan?.registries?.map((r) => [r.op, r.secret, Object.keys(r.body)])).toEqual([
      ['update', 'replace', []],
      ['update', 'replace', []],
    ]);
    expect(writesSent(s.h.sim).map((w) => w.method)).toEqual(['PATCH', 'PATCH']);
    expectRegistries(s, next);
    await expectNowhereOnDisk(s.h.dir, next);

    s.h.sim.clearLog();
    expect((await applyWith(s)).status).toBe('unchanged');
    expect(writesSent(s.h.sim)).toEqual([]);
  });

  it('a declined check still writes, and the plan says the app was not checked', async () => {
    const s = await setup();
    s.h.sim.configureEntra({ fault: 'consent_missing' });
    const outcome = await applyWith(s, { entraCheck: false });
    expect(outcome.status).toBe('provisioned');
    expect(outcome.plan?.entraCheck?.status).toBe('skipped');
    expect(registryWrites(s)).toHaveLength(2);
    expectRegistries(s, s.h.sim.entraApp.clientSecret);
  });

  it('a secret removed from the keychain before the write: the registries fail in plain words, nothing leaks', async () => {
    const s = await setup();
    // The check has run and passed; the keychain loses the secret before the engine reads it to send.
    const read = s.secrets.get.bind(s.secrets);
    let reads = 0;
    s.secrets.get = async (account) =>
      account.startsWith('entra-secret:') && ++reads > 1 ? null : read(account);
    const outcome = await applyWith(s, { entraCheck: false });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/needs the Entra client secret, and none is stored in the keychain/);
    expect(registryWrites(s)).toHaveLength(0);
    expect(outcome.record?.steps.filter((st) => st.kind === 'registry').map((st) => st.status)).toEqual([
      'failed',
      'not_run',
    ]);
  });
});

describe('faults during the registry write', () => {
  it('an instance refusal that repeats the secret back is reported without it', async () => {
    const s = await setup();
    const secret = s.h.sim.entraApp.clientSecret;
    // A business rule whose message quotes the value it refused, as a careless one might.
    s.h.sim.faults.add({
      kind: 'forbidden',
      message: `Client secret ${secret} does not meet the policy`,
      match: { method: 'PATCH', table: 'oauth_entity' },
      times: 1,
    });
    const progress: string[] = [];
    const outcome = await applyWith(s, { onApplyProgress: (p) => progress.push(p.message) });
    expect(outcome.status).toBe('failed');
    const failed = outcome.record!.steps.find((st) => st.kind === 'registry' && st.status === 'failed');
    expect(failed?.error?.code).toBe('forbidden');
    expect(JSON.stringify(failed)).toContain('[client secret]');
    for (const text of [JSON.stringify(outcome), ...progress]) expect(text).not.toContain(secret);
    await expectNowhereOnDisk(s.h.dir, secret);
  });

  it.each([
    ['reset', { kind: 'reset' as const }],
    ['503', { kind: 'status' as const, status: 503 as const }],
    ['hang after commit', { kind: 'hang_after_commit' as const }],
  ])(
    '%s on the batch carrying the registries: each registry written exactly once and reported',
    async (_, fault) => {
      const s = await setup({ client: { ...FAST, retry: { limit: 0 } } });
      s.h.sim.faults.add({ ...fault, match: { method: 'PATCH', table: 'oauth_entity' }, times: 1 });
      const outcome = await applyWith(s);
      expect(outcome.status).toBe('provisioned');
      expectRegistries(s, s.h.sim.entraApp.clientSecret);
      // The fresh registries change non-secret fields too: a re-read proves a committed PATCH, so a
      // committed batch is not sent again; an uncommitted one is sent once more.
      // No record twice: the connections travelled in the same batch.
      for (const name of ['Exchange_Online_Connection', 'Exchange_Online_Connection_clientCred'])
        expect(rowsNamed(s.h.sim, 'http_connection', name), name).toHaveLength(1);
      const sent = registryWrites(s);
      expect(sent.length).toBe(fault.kind === 'hang_after_commit' ? 2 : 4);
      const settled = outcome.record!.steps.filter((st) => st.kind === 'registry').map((st) => st.settled);
      if (fault.kind === 'hang_after_commit')
        expect(
          settled.every((m) => /re-read found the change on the instance: not sent again/.test(m ?? '')),
        ).toBe(true);
      await expectNowhereOnDisk(s.h.dir, s.h.sim.entraApp.clientSecret);
    },
  );

  it('a lost answer to a secret-only PATCH is sent again (idempotent), never declared done unseen', async () => {
    const s = await setup({ client: { ...FAST, retry: { limit: 0 } } });
    await applyWith(s);
    const next = 'spokesmith-rotated-secret';
    await saveEntraSecret(s.secrets, s.instanceId, next);
    s.h.sim.configureEntra({ clientSecret: next });
    s.h.sim.faults.add({
      kind: 'hang_after_commit',
      match: { method: 'PATCH', table: 'oauth_entity' },
      times: 1,
    });
    s.h.sim.clearLog();
    const outcome = await applyWith(s);
    expect(outcome.status).toBe('provisioned');
    // The batch of both registries was committed but unanswered; nothing a re-read shows proves the
    // secret landed, so the same PATCH went once more: same record, same secret.
    expect(registryWrites(s)).toHaveLength(4);
    expect(s.h.sim.db.filter('oauth_entity', () => true)).toHaveLength(2);
    expectRegistries(s, next);
    s.h.sim.clearLog();
    expect((await applyWith(s)).status).toBe('unchanged');
  });

  it('an unsettled registry write (answer and re-read lost) is finished by resume with the secret read again', async () => {
    const s = await setup({ client: { ...FAST, retry: { limit: 0 } } });
    await applyWith(s);
    const next = 'spokesmith-third-secret';
    await saveEntraSecret(s.secrets, s.instanceId, next);
    s.h.sim.configureEntra({ clientSecret: next });
    s.h.sim.faults.add({ kind: 'hang', match: { method: 'PATCH', table: 'oauth_entity' }, times: 1 });
    // The re-read that would settle it fails too (reads before it: discovery's batch).
    s.h.sim.faults.add({
      kind: 'status',
      status: 500,
      match: { method: 'GET', table: 'oauth_entity' },
      skip: 1,
      times: 1,
    });
    const first = await applyWith(s);
    // The step failed with the instance's timeout: the outcome calls it unreachable (worth a later try).
    expect(first.status).toBe('unreachable');
    expect(first.record?.steps.find((st) => st.kind === 'registry')?.settled).toMatch(/Could not confirm/);
    const pending = await createApplyStore(s.workspace.instanceDir(s.instanceId)).unfinished();
    expect(pending?.applyId).toBe(first.record?.applyId);
    // The journal holds what was sent, without the secret.
    const journal = await readFile(
      join(s.workspace.instanceDir(s.instanceId), 'journal', `${pending!.applyId}.jsonl`),
      'utf8',
    );
    expect(journal).not.toContain(next);
    expect(
      (await readJournal(journalPath(s.workspace.instanceDir(s.instanceId), pending!.applyId))).entries.some(
        (e) => e.t === 'intent',
      ),
    ).toBe(true);

    // The keychain changes again before the resume: the resume sends what it holds now.
    const last = 'spokesmith-fourth-secret';
    await saveEntraSecret(s.secrets, s.instanceId, last);
    s.h.sim.clearLog();
    const resumed = await resumeInstance({
      workspace: s.workspace,
      instanceId: s.instanceId,
      client: s.h.newClient(),
      secrets: s.secrets,
    });
    expect(resumed?.status).toBe('succeeded');
    expect(registryWrites(s)).toHaveLength(2);
    expectRegistries(s, last);
    expect(await createApplyStore(s.workspace.instanceDir(s.instanceId)).unfinished()).toBeNull();
    await expectNowhereOnDisk(s.h.dir, last);
    await expectNowhereOnDisk(s.h.dir, next);
  });
});

describe('rollback of an apply that changed the registries', () => {
  it('restores the earlier non-secret values and keeps the secret', async () => {
    const s = await setup();
    const before = GRANTS.map((g) => ({ ...registryRow(s, g) }));
    const applied = await applyWith(s);
    expect(applied.status).toBe('provisioned');
    s.h.sim.clearLog();

    const result = await rollbackInstance({
      workspace: s.workspace,
      instanceId: s.instanceId,
      client: s.h.client,
      desired: s.desired,
      label: 'Acme',
      secrets: s.secrets,
    });
    expect(result.status).toBe('ran');
    expect(result.record?.status).toBe('succeeded');
    expect(result.plan.registries?.map((r) => r.op)).toEqual(['update', 'update']);
    for (const [i, grant] of GRANTS.entries()) {
      const row = registryRow(s, grant);
      for (const element of ['client_id', 'default_grant_type', 'auth_url', 'token_url', 'redirect_url'])
        expect(row[element] ?? '', `${grant} ${element}`).toBe(before[i]![element] ?? '');
      // The secret cannot be put back (never read): it stays the one written.
      expect(secretMatches(row.client_secret, s.h.sim.entraApp.clientSecret)).toBe(true);
    }
    expect(result.record?.steps.filter((st) => st.kind === 'registry').map((st) => st.status)).toEqual([
      'done',
      'done',
    ]);
    expect(registryWrites(s)).toHaveLength(2);
  });
});
