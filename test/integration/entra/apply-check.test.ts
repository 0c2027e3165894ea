// The Entra check inside plan and apply (issue 10 §4), through the operations layer every front end calls,
// against the embedded instance and its stand-in Entra token endpoint: a failed check writes nothing and is
// reported before the review; a declined check is said plainly; an offline plan says it was not run.
import { describe, expect, it } from 'vitest';
import { discoverInstance, planFromSnapshot } from '../../../src/main/operations';
import { ENTRA_FAULTS, type EntraFault } from '../../../src/main/simulator';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { Plan } from '../../../src/shared/domain/plan';
import { writeCount } from '../engine/harness';
import { applyWith, entraSetup, type EntraSetup } from './fixture';

async function setup(secret: string | null = 'demo'): Promise<EntraSetup> {
  const s = await entraSetup({ secret });
  return s;
}

/** The fault each check failure comes from, and the field its message must name. */
const FIELD_OF: Record<Exclude<EntraFault, 'hang'>, RegExp> = {
  unknown_tenant: /^The Entra app failed its check: Tenant ID:/,
  wrong_client_id: /^The Entra app failed its check: Client ID:/,
  wrong_secret: /^The Entra app failed its check: Client secret:/,
  expired_secret: /^The Entra app failed its check: Client secret: it has expired/,
  consent_missing: /Admin consent is missing/,
  permission_missing: /lacks the Microsoft Graph application permission Calendars\.ReadWrite/,
  html: /answered with a web page/,
};

describe('apply with an Entra app: the check comes first', () => {
  it.each(ENTRA_FAULTS.filter((f): f is Exclude<EntraFault, 'hang'> => f !== 'hang'))(
    'a failed check (%s) is blocked before the review and writes nothing',
    async (fault) => {
      const s = await setup();
      s.h.sim.configureEntra({ fault });
      const statusBefore = s.workspace.instances.get(s.instanceId)?.status;
      const reviewed: Plan[] = [];
      const outcome = await applyWith(s, {
        review: async (plan) => {
          reviewed.push(plan);
          return true;
        },
      });
      expect(outcome.status).toBe('blocked');
      expect(outcome.code).toBe('entra_check_failed');
      expect(outcome.message).toMatch(FIELD_OF[fault]);
      expect(outcome.message).toContain('Nothing was written.');
      expect(outcome.plan?.entraCheck?.status).toBe('failed');
      expect(reviewed).toEqual([]);
      expect(writeCount(s.h.sim)).toBe(0);
      expect(JSON.stringify(outcome)).not.toContain(s.h.sim.entraApp.clientSecret);
      // The check asked the stand-in, once.
      expect(s.h.sim.log.filter((e) => e.path.startsWith('/entra/'))).toHaveLength(1);
      // An Entra app that fails says nothing new about the instance: its status stays.
      expect(s.workspace.instances.get(s.instanceId)?.status).toBe(statusBefore);
    },
  );

  it('no secret in the keychain: blocked, naming the client secret, nothing sent to Entra or written', async () => {
    const s = await setup(null);
    const outcome = await applyWith(s);
    expect(outcome.code).toBe('entra_check_failed');
    expect(outcome.plan?.entraCheck).toMatchObject({ status: 'failed', field: 'clientSecret' });
    expect(outcome.message).toMatch(/Client secret: none is stored in the keychain/);
    expect(s.h.sim.log.filter((e) => e.path.startsWith('/entra/'))).toHaveLength(0);
    expect(writeCount(s.h.sim)).toBe(0);
  });

  it('a passing check is in the plan the review is shown, with the granted roles', async () => {
    const s = await setup();
    let seen: Plan | null = null;
    const outcome = await applyWith(s, {
      review: async (plan) => {
        seen = plan;
        return false;
      },
    });
    expect(outcome.status).toBe('cancelled');
    expect(seen!.entraCheck).toEqual({
      status: 'passed',
      authority: s.authority,
      message: 'The Entra app works: Microsoft Graph granted Calendars.ReadWrite.',
      roles: ['Calendars.ReadWrite'],
    });
    expect(seen!.registries?.map((r) => [r.op, r.secret])).toEqual([
      ['update', 'set'],
      ['update', 'set'],
    ]);
    expect(writeCount(s.h.sim)).toBe(0);
  });

  it('a declined check asks nothing and the plan says so', async () => {
    const s = await setup();
    s.h.sim.configureEntra({ fault: 'wrong_secret' });
    let seen: Plan | null = null;
    await applyWith(s, {
      entraCheck: false,
      review: async (plan) => {
        seen = plan;
        return false;
      },
    });
    expect(seen!.entraCheck).toEqual({
      status: 'skipped',
      authority: 'https://login.microsoftonline.com',
      message: 'The Entra app was not checked (--no-entra-check).',
    });
    expect(s.h.sim.log.filter((e) => e.path.startsWith('/entra/'))).toHaveLength(0);
  });
});

describe('plan with an Entra app', () => {
  it('online: the check runs beside discovery; offline from the snapshot: not run', async () => {
    const s = await setup();
    const online = await discoverInstance({
      workspace: s.workspace,
      instanceId: s.instanceId,
      client: s.h.client,
      desired: s.desired,
      secrets: s.secrets,
      entraCheck: { authority: s.authority },
    });
    expect(online.plan?.entraCheck?.status).toBe('passed');
    expect(online.plan?.registries?.map((r) => r.secret)).toEqual(['set', 'set']);

    const offline = await planFromSnapshot(s.workspace, s.instanceId, s.desired, new Date(), {
      secrets: s.secrets,
    });
    expect(offline?.plan.entraCheck).toEqual({
      status: 'not_run',
      authority: 'https://login.microsoftonline.com',
      message: 'The Entra app was not checked: this plan was made offline, from the last discovery.',
    });
    // The offline plan still knows the secret is at hand (keychain), so the registries are planned.
    expect(offline?.plan.registries?.map((r) => r.op)).toEqual(['update', 'update']);
    expect(s.h.sim.log.filter((e) => e.path.startsWith('/entra/'))).toHaveLength(1);
  });

  it('a desired state without an Entra app has no check and no registries', async () => {
    const s = await setup();
    const online = await discoverInstance({
      workspace: s.workspace,
      instanceId: s.instanceId,
      client: s.h.client,
      desired: defaultDesiredState(),
      secrets: s.secrets,
    });
    expect(online.plan?.entraCheck).toBeUndefined();
    expect(online.plan?.registries).toBeUndefined();
    expect(s.h.sim.log.filter((e) => e.path.startsWith('/entra/'))).toHaveLength(0);
  });
});
