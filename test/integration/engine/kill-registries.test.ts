// Kill -9 during an apply that also writes the two Application Registries (issue 10), then resume in this
// process with the secret read again from the (stand-in) keychain: every record once, both registries
// verified with a usable secret, and the secret in no journal line.
import type { ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPlan, createApplyStore, discover, resumeApply } from '../../../src/main/engine';
import { secretMatches } from '../../../src/main/simulator/auth/secrets';
import { defaultDesiredState, type DesiredState } from '../../../src/shared/domain/desired-state';
import { OAUTH_REGISTRIES } from '../../../src/shared/servicenow/spoke';
import { killIfRunning, PROVISIONED as NAMES, runApplyChild, until } from './fixtures/apply-child-process';
import { rowsNamed, startHarness, writesSent, type Harness } from './harness';

const SECRET = 'kill-test-entra-secret';
let h: Harness | null = null;
let child: ChildProcess | null = null;
afterEach(async () => {
  killIfRunning(child);
  child = null;
  await h?.close();
  h = null;
});

function desired(): DesiredState {
  return {
    ...defaultDesiredState(),
    entra: { tenant: h!.sim.entraApp.tenantId, clientId: h!.sim.entraApp.clientId },
  };
}

async function writePlan(): Promise<string> {
  const outcome = await discover(h!.client, { desired: desired() });
  if (!outcome.ok) throw new Error(outcome.message);
  const plan = buildPlan(outcome.snapshot, desired(), new Date(), { entraSecret: 'unknown' });
  expect(plan.registries?.map((r) => [r.op, r.secret])).toEqual([
    ['update', 'set'],
    ['update', 'set'],
  ]);
  const file = join(h!.dir, 'plan.json');
  await writeFile(file, JSON.stringify(plan));
  return file;
}

const runChild = (env: Record<string, string>) => runApplyChild(h!, { ENTRA_SECRET: SECRET, ...env });

const registryRows = () =>
  (['authorization_code', 'client_credentials'] as const).map((g) =>
    h!.sim.db.find('oauth_entity', (r) => r.name === OAUTH_REGISTRIES[g].entityName)!,
  );
const registryWrites = () =>
  writesSent(h!.sim).filter((w) => w.method === 'PATCH' && w.path.includes('/oauth_entity/'));

async function resumeAndCheck() {
  const pending = await createApplyStore(h!.dir).unfinished();
  expect(pending, 'the killed apply left an unfinished journal').not.toBeNull();
  expect(await readFile(pending!.file, 'utf8')).not.toContain(SECRET);
  let reads = 0;
  const written: string[] = [];
  const record = await resumeApply({
    client: h!.newClient(),
    dir: h!.dir,
    registrySecret: {
      read: async () => {
        reads += 1;
        return SECRET;
      },
      written: async (secret) => void written.push(secret),
    },
  });
  expect(record?.status).toBe('succeeded');
  expect(reads, 'the resume read the secret again').toBe(1);
  for (const [table, name] of NAMES) expect(rowsNamed(h!.sim, table, name), name).toHaveLength(1);
  for (const row of registryRows()) expect(secretMatches(row.client_secret, SECRET)).toBe(true);
  expect(record!.records.filter((r) => r.table === 'oauth_entity').every((r) => r.verified)).toBe(true);
  expect(await readFile(pending!.file, 'utf8')).not.toContain(SECRET);
  return { record: record!, written };
}

describe('kill -9 during an apply that writes the registries, then resume', () => {
  it('killed after the batch with the registries was committed but not answered: settled, not re-sent', async () => {
    h = await startHarness('fresh');
    const planFile = await writePlan();
    h.sim.faults.add({
      kind: 'hang_after_commit',
      match: { method: 'PATCH', table: 'oauth_entity' },
      times: 1,
    });
    const run = runChild({ PLAN_FILE: planFile, MODE: 'apply' });
    child = run.proc;
    await until(
      () => registryRows().every((r) => secretMatches(r.client_secret, SECRET)),
      'the registry batch to be committed',
    );
    run.proc.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    h.sim.faults.clear();
    h.sim.clearLog();
    const { record, written } = await resumeAndCheck();
    // The fresh registries changed non-secret fields: the re-read proves the committed PATCH.
    for (const step of record.steps.filter((s) => s.kind === 'registry'))
      expect(step.settled).toMatch(/after the interruption/);
    expect(writesSent(h.sim)).toEqual([]);
    // The killed run sent the secret, not this one: its fingerprint is not kept (the next apply re-sends).
    expect(written).toEqual([]);
  }, 60_000);

  // Write lines: intent ×2 (credentials' batch), done ×2, intent ×4 (connections + registries), done ×4.
  for (const line of [6, 8, 10]) {
    it(`killed right after journal write line ${line}`, async () => {
      h = await startHarness('fresh');
      const planFile = await writePlan();
      const run = runChild({ PLAN_FILE: planFile, MODE: 'apply', KILL_AFTER_LINE: String(line) });
      child = run.proc;
      const exit = await run.exited;
      expect(exit.signal, exit.out).toBe('SIGKILL');
      h.sim.clearLog();
      const { written } = await resumeAndCheck();
      // Up to line 8 (the last intent of the second batch) the batch never left: the resume sends the
      // registries once. By line 10 it was committed and answered: the resume finds them by re-reading.
      expect(registryWrites()).toHaveLength(line <= 8 ? 2 : 0);
      // Only a secret this run sent and verified is remembered.
      expect(written).toEqual(line <= 8 ? [SECRET] : []);
    }, 60_000);
  }
});
