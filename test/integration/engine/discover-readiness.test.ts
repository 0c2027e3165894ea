// discover()'s verdict on whether the procedure can run, and what its message tells the admin: a missing
// OAuth profile blocks only a plan that would create a credential bound to it; each "not ready" message
// names the record to fix (the profile and its registry, the alias, the user).
import { describe, expect, it } from 'vitest';
import { discover } from '../../../src/main/engine';
import { spokeIds } from '../../../src/main/simulator';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { ALIASES, OAUTH_REGISTRIES } from '../../../src/shared/servicenow/spoke';
import { startHarness, type Harness } from './harness';

type Grant = keyof typeof OAUTH_REGISTRIES;

/** The registry's default profile is gone (deleted, as an admin may do by accident). */
const deleteProfile = (harness: Harness, grant: Grant) =>
  harness.sim.db.delete('oauth_entity_profile', spokeIds.profile(grant));

/** A credential of this name exists on the instance, bound to the grant's shipped profile. */
const addCredential = (harness: Harness, name: string, grant: Grant) =>
  harness.sim.db.insert('oauth_2_0_credentials', {
    name,
    active: 'true',
    type: 'oauth_2_0',
    oauth_entity_profile: spokeIds.profile(grant),
  });

describe('a missing OAuth profile', () => {
  it('stops a plan that would create a credential for it, naming the profile and its registry', async () => {
    const h = await startHarness('fresh');
    deleteProfile(h, 'authorization_code');
    const outcome = await discover(h.client, { desired: defaultDesiredState() });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toBe('oauth_profile_missing');
    expect(outcome.message).toContain(`"${OAUTH_REGISTRIES.authorization_code.profileName}"`);
    expect(outcome.message).toContain(`"${OAUTH_REGISTRIES.authorization_code.entityName}"`);
    expect(outcome.message).not.toContain(OAUTH_REGISTRIES.client_credentials.entityName);
    expect(outcome.snapshot.profiles.authorization_code).toBeNull();
  });

  it('does not matter when both credentials the forms name already exist: nothing is bound to it', async () => {
    const h = await startHarness('fresh');
    const desired = defaultDesiredState();
    addCredential(h, desired.main.credential, 'authorization_code');
    addCredential(h, desired.clientCred.credential, 'client_credentials');
    deleteProfile(h, 'authorization_code');
    deleteProfile(h, 'client_credentials');
    const outcome = await discover(h.client, { desired });
    expect(outcome.ok ? null : outcome.message).toBeNull();
    expect(outcome.snapshot.profiles).toEqual({ authorization_code: null, client_credentials: null });
  });

  it('stops the plan for the credential it would create, though the other form\u2019s credential exists', async () => {
    const h = await startHarness('fresh');
    const desired = defaultDesiredState();
    addCredential(h, desired.main.credential, 'authorization_code');
    // Another credential, of a name no form uses, binds nothing the plan creates.
    addCredential(h, 'Someone else\u2019s credential', 'client_credentials');
    deleteProfile(h, 'client_credentials');
    const outcome = await discover(h.client, { desired });
    expect(outcome.ok ? null : outcome.reason).toBe('oauth_profile_missing');
    expect(outcome.ok ? '' : outcome.message).toContain(
      `"${OAUTH_REGISTRIES.client_credentials.profileName}"`,
    );
  });
});

describe('the message of a discovery that stops', () => {
  it('names the alias that is missing', async () => {
    const h = await startHarness('fresh');
    h.sim.db.delete('sys_alias', spokeIds.alias('clientCred'));
    const outcome = await discover(h.client, { desired: defaultDesiredState() });
    expect(outcome.ok ? null : outcome.reason).toBe('alias_missing');
    expect(outcome.ok ? '' : outcome.message).toContain(ALIASES.clientCred.id);
    expect(outcome.snapshot.aliases.main?.id).toBe(ALIASES.main.id);
  });

  it('names the user without admin, and invents no record for a user the instance does not know', async () => {
    const h = await startHarness('fresh');
    const userName = 'no.such.user';
    const outcome = await discover(h.client, { desired: defaultDesiredState(), userName });
    expect(outcome.ok ? null : outcome.reason).toBe('admin_role_missing');
    expect(outcome.ok ? '' : outcome.message).toContain(`The user ${userName} does not have the admin role`);
    expect(outcome.snapshot.user).toEqual({ sysId: '', userName, roles: [], domainSysId: 'global' });
  });
});

describe('a discovery told no user name', () => {
  it('asks the instance who is signed in, and judges that user by their roles', async () => {
    const h = await startHarness('fresh');
    const admin = h.sim.db.find('sys_user', (u) => u.user_name === h!.sim.users.admin.userName);
    const outcome = await discover(h.client, { desired: defaultDesiredState(), userName: '' });
    expect(outcome.ok ? null : outcome.message).toBeNull();
    expect(outcome.snapshot.user).toMatchObject({
      userName: h.sim.users.admin.userName,
      sysId: admin?.sys_id,
    });
    expect(outcome.snapshot.user.roles).toContain('admin');
  });
});

describe("a read of the user's roles that fails", () => {
  // A user without admin is refused reads, and that refusal is the verdict. A roles read that fails
  // otherwise says nothing about the roles: "not an admin" would send the consultant to the wrong fix.
  it("ends discovery with the instance's error, not a verdict on the roles (read by read)", async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({ kind: 'forbidden', match: { pathIncludes: '/batch' } });
    h.sim.faults.add({ kind: 'status', status: 500, match: { method: 'GET', table: 'sys_user_has_role' } });
    const discovery = discover(h.client, { desired: defaultDesiredState(), userName: 'admin' });
    await expect(discovery).rejects.toThrow(/read sys_user_has_role/);
  });

  it('ends discovery with the quota error when the batch was cut before the roles were read', async () => {
    // The instance's batch quota (0 ms here, each item taking 1 ms) lets the first read run and no other.
    const h = await startHarness('fresh', {}, 'admin', { batchTimeLimitMs: 0, batchItemLatencyMs: 1 });
    const discovery = discover(h.client, { desired: defaultDesiredState(), userName: 'admin' });
    await expect(discovery).rejects.toThrow('The instance stopped the batch before');
  });

  it('when refused, is the verdict: the user may not read their roles, so is not taken for an admin', async () => {
    const h = await startHarness('fresh');
    h.sim.faults.add({ kind: 'forbidden', match: { method: 'GET', table: 'sys_user_has_role' } });
    const outcome = await discover(h.client, { desired: defaultDesiredState(), userName: 'admin' });
    expect(outcome.ok ? null : outcome.reason).toBe('admin_role_missing');
  });
});
