// Business rules, ACLs and domain visibility, through HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, spokeIds, type Simulator } from '../../../src/main/simulator';
import { call } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'credentials' });
});
afterAll(() => sim.close());

const credential = (name: string): string =>
  sim.db.find('oauth_2_0_credentials', (c) => c.name === name)?.sys_id ?? '';
const post = (body: Record<string, unknown>, query = ''): ReturnType<typeof call> =>
  call(sim, 'POST', `/api/now/table/http_connection${query}`, { body });

describe('business rules', () => {
  it('refuses a second connection with the same name (even inactive)', async () => {
    sim.reset('credentials');
    expect((await post({ name: 'dup' })).status).toBe(201);
    const r = await post({ name: 'dup', active: 'false' });
    expect(r.status).toBe(403);
    expect(r.json.status).toBe('failure');
    expect(r.json.error.detail).toContain('Business Rule');
    expect(sim.db.filter('sys_connection', (c) => c.name === 'dup')).toHaveLength(1);
  });

  it('allows one active connection per alias per domain unless multiple_connections', async () => {
    sim.reset('credentials');
    const alias = spokeIds.alias('main');
    expect((await post({ name: 'a', active: 'true', connection_alias: alias })).status).toBe(201);
    expect((await post({ name: 'b', active: 'true', connection_alias: alias })).status).toBe(403);
    expect((await post({ name: 'c', active: 'false', connection_alias: alias })).status).toBe(201);
    expect(
      (await post({ name: 'd', active: 'true', connection_alias: alias, sys_domain: 'f'.repeat(32) })).status,
    ).toBe(201);
    // Activating the inactive one by PATCH is refused too.
    const inactive = sim.db.find('http_connection', (c) => c.name === 'c')?.sys_id ?? '';
    expect(
      (await call(sim, 'PATCH', `/api/now/table/http_connection/${inactive}`, { body: { active: true } }))
        .status,
    ).toBe(403);
    sim.db.update('sys_alias', alias, { multiple_connections: 'true' });
    expect((await post({ name: 'e', active: 'true', connection_alias: alias })).status).toBe(201);
  });

  it('lets a credential serve at most one active connection', async () => {
    sim.reset('credentials');
    const cred = credential('Exchange_Online_Credentials');
    expect(
      (await post({ name: 'a', active: 'true', credential: cred, connection_alias: spokeIds.alias('main') }))
        .status,
    ).toBe(201);
    const second = await post({
      name: 'b',
      active: 'true',
      credential: cred,
      connection_alias: spokeIds.alias('clientCred'),
    });
    expect(second.status).toBe(403);
    expect((await post({ name: 'c', active: 'false', credential: cred })).status).toBe(201);
  });

  it('lets an update keep its own name, alias and credential', async () => {
    sim.reset('credentials');
    const cred = credential('Exchange_Online_Credentials');
    const created = await post({
      name: 'a',
      active: 'true',
      credential: cred,
      connection_alias: spokeIds.alias('main'),
    });
    const r = await call(sim, 'PATCH', `/api/now/table/http_connection/${created.json.result.sys_id}`, {
      body: { name: 'a', active: 'true', connection_url: 'https://graph.microsoft.com' },
    });
    expect(r.status).toBe(200);
  });
});

describe('ACLs for a user without the admin role', () => {
  it('lets them read ordinary tables but not connections or credentials, and write nothing', async () => {
    sim.reset('credentials');
    const user = sim.users.nonAdmin;
    expect(
      (await call(sim, 'GET', '/api/now/table/sys_user?sysparm_fields=user_name', { user })).status,
    ).toBe(200);
    expect((await call(sim, 'GET', '/api/now/table/sys_alias', { user })).status).toBe(200);
    for (const table of [
      'http_connection',
      'sys_connection',
      'oauth_2_0_credentials',
      'discovery_credentials',
    ]) {
      const r = await call(sim, 'GET', `/api/now/table/${table}`, { user });
      expect(r.status, table).toBe(403);
      expect(r.json.status).toBe('failure');
    }
    const write = await call(sim, 'POST', '/api/now/table/sys_alias', { user, body: { name: 'x' } });
    expect(write.status).toBe(403);
    expect(write.json.error).toEqual({
      message: 'Operation Failed',
      detail: 'ACL Exception Insert Failed due to security constraints',
    });
    const del = await call(sim, 'DELETE', `/api/now/table/sys_alias/${spokeIds.alias('main')}`, { user });
    expect(del.json.error.detail).toContain('Delete');
    expect(sim.db.get('sys_alias', spokeIds.alias('main'))).toBeDefined();
  });
});

describe('domain separation (scenario domains)', () => {
  it('hides INITECH records from the ACME admin unless sysparm_query_no_domain=true', async () => {
    sim.reset('domains');
    const hidden = sim.db.find('http_connection', (c) => c.name === 'INITECH Exchange Connection');
    expect(hidden).toBeDefined();
    const list = await call(sim, 'GET', '/api/now/table/http_connection?sysparm_fields=name');
    expect(list.json.result).toEqual([]);
    expect((await call(sim, 'GET', `/api/now/table/http_connection/${hidden?.sys_id}`)).status).toBe(404);
    expect(
      (
        await call(sim, 'PATCH', `/api/now/table/http_connection/${hidden?.sys_id}`, {
          body: { active: false },
        })
      ).status,
    ).toBe(404);
    const all = await call(
      sim,
      'GET',
      '/api/now/table/http_connection?sysparm_fields=name&sysparm_query_no_domain=true',
    );
    expect(all.json.result).toEqual([{ name: 'INITECH Exchange Connection' }]);
  });

  it("puts new records in the creating user's domain unless sys_domain is sent", async () => {
    sim.reset('domains');
    const acme = sim.db.find('domain', (d) => d.name === 'ACME')?.sys_id;
    const a = await post({ name: 'a', connection_alias: spokeIds.alias('main'), active: true });
    expect(a.status).toBe(201);
    expect(sim.db.get('http_connection', a.json.result.sys_id)?.sys_domain).toBe(acme);
    const b = await post({ name: 'b', sys_domain: 'global' });
    expect(sim.db.get('http_connection', b.json.result.sys_id)?.sys_domain).toBe('global');
  });

  it('enforces the unique name across domains and the alias rule within the target domain', async () => {
    sim.reset('domains');
    const initech = sim.db.find('domain', (d) => d.name === 'INITECH')?.sys_id;
    expect((await post({ name: 'INITECH Exchange Connection' })).status).toBe(403);
    const clash = await post({
      name: 'x',
      active: true,
      connection_alias: spokeIds.alias('main'),
      sys_domain: initech,
    });
    expect(clash.status).toBe(403);
  });

  it('ignores sysparm_query_no_domain for a non-admin', async () => {
    sim.reset('domains');
    const acme = sim.db.find('domain', (d) => d.name === 'ACME')?.sys_id ?? '';
    const initech = sim.db.find('domain', (d) => d.name === 'INITECH')?.sys_id ?? '';
    const walkup = sim.db.find('sys_user', (u) => u.user_name === 'walkup.agent')?.sys_id ?? '';
    sim.db.update('sys_user', walkup, { sys_domain: acme });
    sim.db.insert('sys_alias', { name: 'initech_alias', sys_domain: initech });
    const path = '/api/now/table/sys_alias?sysparm_query=name=initech_alias&sysparm_query_no_domain=true';
    expect((await call(sim, 'GET', path, { user: sim.users.nonAdmin })).json.result).toEqual([]);
    expect((await call(sim, 'GET', path)).json.result).toHaveLength(1);
  });
});
