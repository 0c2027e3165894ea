import { afterEach, describe, expect, it } from 'vitest';
import { discover } from '../../../src/main/engine';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import type { Snapshot } from '../../../src/shared/domain/snapshot';
import { startHarness, type Harness } from './harness';

let h: Harness | null = null;
const s0 = (o: { snapshot: Snapshot }) => o.snapshot;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('discover against the simulator', () => {
  it('fresh: spoke, both aliases, profiles, MID servers; at most 4 requests', async () => {
    h = await startHarness('fresh');
    h.sim.clearLog();
    const outcome = await discover(h.client, { desired: defaultDesiredState() });
    expect(outcome.ok).toBe(true);
    const s = outcome.snapshot;
    expect(s.spoke).toMatchObject({ installed: true, version: '4.1.0' });
    expect(s.aliases.main?.name).toBe('Microsoft_Exchange_Online');
    expect(s.aliases.clientCred?.parentSysId).toBe(s.aliases.main?.sysId);
    expect(s.aliases.main?.multipleConnections).toBe(false);
    expect(s.profiles.authorization_code?.name).toBe('Microsoft Exchange Online default_profile');
    expect(s.profiles.client_credentials?.entityName).toBe('Microsoft Exchange Online_clientCredentials');
    expect(s.midServers.map((m) => `${m.name}:${m.status}`).sort()).toEqual([
      'mid-demo-01:Up',
      'mid-old-02:Down',
    ]);
    expect(s.user.roles).toContain('admin');
    expect(s.build.tag).toMatch(/^glide-australia/);
    expect(s.connections).toEqual([]);
    expect(s.credentials).toEqual([]);
    expect(h.sim.log.length).toBeLessThanOrEqual(4);
    expect(s.requests).toBe(h.sim.log.length);
    expect(h.sim.log.filter((e) => e.path.includes('/batch'))).toHaveLength(1);
  });

  it('one request when the caller knows the user name', async () => {
    h = await startHarness('fresh');
    h.sim.clearLog();
    const outcome = await discover(h.client, { userName: h.sim.users.admin.userName });
    expect(outcome.ok).toBe(true);
    expect(outcome.snapshot.user.roles).toContain('admin');
    expect(h.sim.log).toHaveLength(1);
  });

  it('credentials: finds both credentials and their profiles', async () => {
    h = await startHarness('credentials');
    const outcome = await discover(h.client);
    expect(outcome.ok).toBe(true);
    const names = outcome.snapshot.credentials.map((c) => c.name).sort();
    expect(names).toEqual(['Exchange_Online_Credentials', 'Exchange_Online_Credentials_clientCred']);
    const main = outcome.snapshot.credentials.find((c) => c.name === 'Exchange_Online_Credentials');
    expect(main?.oauthProfileSysId).toBe(outcome.snapshot.profiles.authorization_code?.sysId);
  });

  it('wcs: sees MS Graph 1 and 2, active on their aliases', async () => {
    h = await startHarness('wcs');
    const outcome = await discover(h.client);
    expect(outcome.ok).toBe(true);
    const s = outcome.snapshot;
    const g1 = s.connections.find((c) => c.name === 'MS Graph 1');
    expect(g1).toMatchObject({ active: true, aliasSysId: s.aliases.main?.sysId });
    expect(g1?.raw['credential.name']).toBe('MS Graph 1');
    expect(s.connections.find((c) => c.name === 'MS Graph 2')?.aliasSysId).toBe(s.aliases.clientCred?.sysId);
  });

  it('no-spoke: stops with spoke_missing', async () => {
    h = await startHarness('no-spoke');
    const outcome = await discover(h.client);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toBe('spoke_missing');
    expect(outcome.message).toContain('not installed');
    expect(h.sim.log.filter((e) => e.method !== 'GET' && !e.path.includes('/batch'))).toEqual([]);
  });

  it('non-admin: stops with admin_role_missing', async () => {
    h = await startHarness('non-admin');
    const outcome = await discover(h.client);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.reason).toBe('admin_role_missing');
    expect(outcome.message).toContain('admin role');
  });

  it('domains: sees the INITECH connection hidden from the user’s own domain', async () => {
    h = await startHarness('domains');
    const outcome = await discover(h.client);
    expect(outcome.ok).toBe(true);
    const s = outcome.snapshot;
    const initech = s.domains.find((d) => d.name === 'INITECH');
    expect(initech).toBeDefined();
    expect(s.domainSeparated).toBe(true);
    const hidden = s.connections.find((c) => c.name === 'INITECH Exchange Connection');
    expect(hidden?.domainSysId).toBe(initech?.sysId);
    expect(h.sim.log.find((e) => e.path.includes('/batch'))).toBeDefined();
  });

  it('falls back to plain GETs when the Batch API is refused: the four essential reads, same answers', async () => {
    h = await startHarness('wcs');
    const viaBatch = await discover(h.client, { desired: defaultDesiredState() });
    h.sim.faults.add({
      kind: 'forbidden',
      message: 'Batch API not allowed',
      match: { pathIncludes: '/batch' },
    });
    h.sim.clearLog();
    const outcome = await discover(h.client, { desired: defaultDesiredState(), userName: 'admin' });
    expect(outcome.ok).toBe(true);
    const gets = h.sim.log.filter((e) => e.method === 'GET');
    // Four essentials (aliases with their spoke dot-walked, connections, credentials, profiles) + the
    // user's roles; MID servers and domains are not needed by the default forms.
    expect(gets.map((e) => e.path.replace('/api/now/table/', '')).sort()).toEqual(
      [
        'http_connection',
        'oauth_2_0_credentials',
        'oauth_entity_profile',
        'sys_alias',
        'sys_user_has_role',
      ].sort(),
    );
    expect(s0(outcome).spoke).toMatchObject({ installed: true, version: '4.1.0' });
    expect(s0(outcome).user.roles).toContain('admin');
    const s = outcome.snapshot;
    expect(s.connections.map((c) => c.name).sort()).toEqual(
      viaBatch.snapshot.connections.map((c) => c.name).sort(),
    );
    expect(s.profiles).toEqual(viaBatch.snapshot.profiles);
    expect(s.aliases).toEqual(viaBatch.snapshot.aliases);
    expect(s.unread?.join(' ')).toContain('refuses the Batch API');
  });
});
