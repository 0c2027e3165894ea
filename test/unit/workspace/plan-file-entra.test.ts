// plan.json keeps what a plan says about the registries and the Entra check (issue 10): a plan read back
// from the workspace is the plan that was shown, registries included, and never holds the secret.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { buildPlan } from '../../../src/shared/domain/planner';
import { freshSnapshot, shippedRegistries } from '../engine/snapshot-fixtures';
import { ACME, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

it('a saved plan reads back with its registry rows and the Entra check, without any secret', async () => {
  const snapshot = freshSnapshot();
  snapshot.registries = shippedRegistries();
  const plan = {
    ...buildPlan(
      snapshot,
      { ...defaultDesiredState(), entra: { tenant: TENANT, clientId: CLIENT } },
      new Date('2026-12-06T15:00:00.000Z'),
      { entraSecret: 'unknown' },
    ),
    entraCheck: {
      status: 'passed' as const,
      authority: 'https://login.microsoftonline.com',
      message: 'The Entra app answered with a token.',
      roles: ['Calendars.ReadWrite'],
    },
  };
  expect(plan.registries?.map((r) => r.op)).toEqual(['update', 'update']);

  const ws = await openWorkspace(dir);
  const saved = await ws.instances.save(ACME);
  await ws.plans.save(saved.id, plan);
  const again = await openWorkspace(dir);
  const read = await again.plans.latest(saved.id);
  expect(read?.registries).toEqual(plan.registries);
  expect(read?.entraCheck).toEqual(plan.entraCheck);
  const text = await readFile(join(again.instanceDir(saved.id), 'plan.json'), 'utf8');
  expect(text).toContain('"secret": "set"');
  expect(text).not.toMatch(/client_secret/);
});
