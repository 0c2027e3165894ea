// What each scenario seeds, read through the Table API as the app reads it (docs/servicenow.md §5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SCENARIOS,
  startSimulator,
  spokeIds,
  SPOKE_VERSION,
  type Simulator,
} from '../../../src/main/simulator';
import { call, enc } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const ALIAS_QUERY = `/api/now/table/sys_alias?sysparm_query=${enc('idINsn_ex_online_spke.Microsoft_Exchange_Online,sn_ex_online_spke.Microsoft_Exchange_Online_clientCred')}&sysparm_fields=name,id,multiple_connections,parent&sysparm_exclude_reference_link=true`;

async function names(path: string): Promise<string[]> {
  const r = await call(sim, 'GET', path);
  return (r.json.result as { name: string }[]).map((x) => x.name);
}

describe('scenarios', () => {
  it('lists all six', () => {
    expect([...SCENARIOS].sort()).toEqual([
      'credentials',
      'domains',
      'fresh',
      'no-spoke',
      'non-admin',
      'wcs',
    ]);
  });

  it('fresh: spoke, both aliases (child has parent), registries with default profiles, MID servers, users', async () => {
    sim.reset('fresh');
    const aliases = await call(sim, 'GET', ALIAS_QUERY);
    expect(aliases.json.result).toEqual([
      {
        name: 'Microsoft_Exchange_Online',
        id: 'sn_ex_online_spke.Microsoft_Exchange_Online',
        multiple_connections: 'false',
        parent: '',
      },
      {
        name: 'Microsoft_Exchange_Online_clientCred',
        id: 'sn_ex_online_spke.Microsoft_Exchange_Online_clientCred',
        multiple_connections: 'false',
        parent: spokeIds.alias('main'),
      },
    ]);
    const profiles = await call(
      sim,
      'GET',
      '/api/now/table/oauth_entity_profile?sysparm_query=default=true&sysparm_fields=name,grant_type,oauth_entity.default_grant_type',
    );
    expect(profiles.json.result).toEqual([
      {
        name: 'Microsoft Exchange Online default_profile',
        grant_type: 'authorization_code',
        'oauth_entity.default_grant_type': 'authorization_code',
      },
      {
        name: 'Microsoft Exchange Online_clientCredentials default_profile',
        grant_type: 'client_credentials',
        'oauth_entity.default_grant_type': 'client_credentials',
      },
    ]);
    const mids = await call(sim, 'GET', '/api/now/table/ecc_agent?sysparm_fields=name,status,validated');
    expect(mids.json.result).toEqual([
      { name: 'mid-demo-01', status: 'Up', validated: 'true' },
      { name: 'mid-old-02', status: 'Down', validated: 'false' },
    ]);
    const app = await call(
      sim,
      'GET',
      '/api/now/table/sys_store_app?scope=sn_ex_online_spke&sysparm_fields=version',
    );
    expect(app.json.result).toEqual([{ version: SPOKE_VERSION }]);
    expect(await names('/api/now/table/sys_scope?sysparm_fields=name&scope=sn_ex_online_spke')).toEqual([
      'Microsoft Exchange Online Spoke',
    ]);
    expect(await names('/api/now/table/http_connection')).toEqual([]);
    expect(await names('/api/now/table/discovery_credentials')).toEqual([]);
    const build = await call(
      sim,
      'GET',
      '/api/now/table/sys_properties?sysparm_query=name=glide.buildtag&sysparm_fields=value',
    );
    expect(build.json.result[0].value).toMatch(/^glide-/);
    const roles = await call(
      sim,
      'GET',
      '/api/now/table/sys_user_has_role?sysparm_fields=user.user_name,role.name',
    );
    expect(roles.json.result).toEqual([{ 'user.user_name': 'admin', 'role.name': 'admin' }]);
  });

  it('credentials: the two documented OAuth 2.0 credentials on their profiles', async () => {
    sim.reset('credentials');
    const r = await call(
      sim,
      'GET',
      '/api/now/table/oauth_2_0_credentials?sysparm_fields=name,active,applies_to,order,oauth_entity_profile.name&ORDERBYname',
    );
    expect(r.json.result).toEqual([
      {
        name: 'Exchange_Online_Credentials',
        active: 'true',
        applies_to: 'all',
        order: '100',
        'oauth_entity_profile.name': 'Microsoft Exchange Online default_profile',
      },
      {
        name: 'Exchange_Online_Credentials_clientCred',
        active: 'true',
        applies_to: 'all',
        order: '100',
        'oauth_entity_profile.name': 'Microsoft Exchange Online_clientCredentials default_profile',
      },
    ]);
  });

  it('wcs: MS Graph 1/2 active on each alias with their credentials, both on the clientCredentials profile', async () => {
    sim.reset('wcs');
    const r = await call(
      sim,
      'GET',
      '/api/now/table/http_connection?sysparm_fields=name,active,connection_alias.name,credential.name,connection_url',
    );
    expect(r.json.result).toEqual([
      {
        name: 'MS Graph 1',
        active: 'true',
        'connection_alias.name': 'Microsoft_Exchange_Online',
        'credential.name': 'MS Graph 1',
        connection_url: 'https://graph.microsoft.com',
      },
      {
        name: 'MS Graph 2',
        active: 'true',
        'connection_alias.name': 'Microsoft_Exchange_Online_clientCred',
        'credential.name': 'MS Graph 2',
        connection_url: 'https://graph.microsoft.com',
      },
    ]);
    const creds = await call(
      sim,
      'GET',
      '/api/now/table/oauth_2_0_credentials?sysparm_fields=oauth_entity_profile&sysparm_exclude_reference_link=true',
    );
    expect(creds.json.result).toEqual([
      { oauth_entity_profile: spokeIds.profile('client_credentials') },
      { oauth_entity_profile: spokeIds.profile('client_credentials') },
    ]);
  });

  it('no-spoke: no app, no aliases, no registries', async () => {
    sim.reset('no-spoke');
    expect((await call(sim, 'GET', ALIAS_QUERY)).json.result).toEqual([]);
    expect(await names('/api/now/table/oauth_entity')).toEqual([]);
    expect(await names('/api/now/table/sys_store_app')).toEqual([]);
    expect(
      (await call(sim, 'GET', '/api/now/table/sys_user?sysparm_query=user_name=admin')).json.result,
    ).toHaveLength(1);
  });

  it('domains: TOP > ACME, INITECH; admin in ACME; a hidden INITECH connection', async () => {
    sim.reset('domains');
    const domains = await call(sim, 'GET', '/api/now/table/domain?sysparm_fields=name,parent.name');
    expect(domains.json.result).toEqual([
      { name: 'TOP', 'parent.name': '' },
      { name: 'ACME', 'parent.name': 'TOP' },
      { name: 'INITECH', 'parent.name': '' },
    ]);
    const admin = await call(
      sim,
      'GET',
      '/api/now/table/sys_user?user_name=admin&sysparm_fields=sys_domain&sysparm_display_value=true',
    );
    expect(admin.json.result[0].sys_domain.display_value).toBe('ACME');
    expect(await names('/api/now/table/http_connection')).toEqual([]);
    expect(await names('/api/now/table/http_connection?sysparm_query_no_domain=true')).toEqual([
      'INITECH Exchange Connection',
    ]);
  });

  it('non-admin: admin authenticates and reads users/roles, but writes and connection reads answer 403', async () => {
    sim.reset('non-admin');
    expect((await call(sim, 'GET', '/api/now/table/sys_user?user_name=admin')).status).toBe(200);
    expect((await call(sim, 'GET', '/api/now/table/sys_user_has_role')).status).toBe(200);
    expect((await call(sim, 'GET', '/api/now/table/http_connection')).status).toBe(403);
    expect((await call(sim, 'POST', '/api/now/table/http_connection', { body: { name: 'x' } })).status).toBe(
      403,
    );
    expect((await call(sim, 'GET', ALIAS_QUERY)).json.result).toHaveLength(2);
  });

  it('keeps seeded sys_ids stable across resets', async () => {
    sim.reset('fresh');
    const first = sim.db.rows('sys_alias').map((r) => r.sys_id);
    sim.reset('credentials');
    expect(sim.db.rows('sys_alias').map((r) => r.sys_id)).toEqual(first);
  });
});
