import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, spokeIds, type Simulator } from '../../../src/main/simulator';
import { call, enc } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'credentials' });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset('credentials'));

const mainAlias = (): string => spokeIds.alias('main');

describe('Table API reads', () => {
  it('lists with a query, sysparm_fields and one-level dot-walk', async () => {
    const r = await call(
      sim,
      'GET',
      `/api/now/table/oauth_entity_profile?sysparm_query=${enc('oauth_entity.nameINMicrosoft Exchange Online,Microsoft Exchange Online_clientCredentials^default=true^ORDERBYname')}&sysparm_fields=sys_id,name,grant_type,oauth_entity.name,bogus`,
    );
    expect(r.status).toBe(200);
    expect(r.json.result).toEqual([
      {
        sys_id: spokeIds.profile('authorization_code'),
        name: 'Microsoft Exchange Online default_profile',
        grant_type: 'authorization_code',
        'oauth_entity.name': 'Microsoft Exchange Online',
      },
      {
        sys_id: spokeIds.profile('client_credentials'),
        name: 'Microsoft Exchange Online_clientCredentials default_profile',
        grant_type: 'client_credentials',
        'oauth_entity.name': 'Microsoft Exchange Online_clientCredentials',
      },
    ]);
  });

  it('answers an empty list (not 404) for a valid query without results', async () => {
    const r = await call(sim, 'GET', '/api/now/v2/table/sys_alias?sysparm_query=name=nothing');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ result: [] });
    expect(r.headers.get('x-total-count')).toBe('0');
  });

  it('filters by name=value pairs and ignores invalid query parts', async () => {
    const pairs = await call(
      sim,
      'GET',
      '/api/now/table/sys_alias?name=Microsoft_Exchange_Online&sysparm_fields=name',
    );
    expect(pairs.json.result).toEqual([{ name: 'Microsoft_Exchange_Online' }]);
    const invalid = await call(
      sim,
      'GET',
      `/api/now/table/sys_alias?sysparm_query=${enc('no_such_column=1')}&sysparm_fields=name`,
    );
    expect(invalid.json.result).toHaveLength(2);
  });

  it('renders references as {link, value}, a plain sys_id with sysparm_exclude_reference_link', async () => {
    const withLink = await call(
      sim,
      'GET',
      `/api/now/table/sys_alias?name=Microsoft_Exchange_Online_clientCred&sysparm_fields=parent`,
    );
    expect(withLink.json.result[0].parent).toEqual({
      link: `${sim.url}/api/now/table/sys_alias/${mainAlias()}`,
      value: mainAlias(),
    });
    const plain = await call(
      sim,
      'GET',
      `/api/now/table/sys_alias?name=Microsoft_Exchange_Online_clientCred&sysparm_fields=parent&sysparm_exclude_reference_link=true`,
    );
    expect(plain.json.result[0].parent).toBe(mainAlias());
  });

  it('shows display values with sysparm_display_value=true and both with =all', async () => {
    const base = `/api/now/table/sys_alias?name=Microsoft_Exchange_Online_clientCred&sysparm_fields=parent,multiple_connections`;
    const display = await call(sim, 'GET', `${base}&sysparm_display_value=true`);
    expect(display.json.result[0]).toEqual({
      parent: {
        display_value: 'Microsoft_Exchange_Online',
        link: `${sim.url}/api/now/table/sys_alias/${mainAlias()}`,
      },
      multiple_connections: 'false',
    });
    const all = await call(sim, 'GET', `${base}&sysparm_display_value=all`);
    expect(all.json.result[0]).toEqual({
      parent: {
        display_value: 'Microsoft_Exchange_Online',
        link: `${sim.url}/api/now/table/sys_alias/${mainAlias()}`,
        value: mainAlias(),
      },
      multiple_connections: { display_value: 'false', value: 'false' },
    });
  });

  it('pages with sysparm_limit/offset, Link and X-Total-Count', async () => {
    const path = '/api/now/table/sys_user_role?sysparm_fields=name&sysparm_limit=2&sysparm_offset=2';
    const r = await call(sim, 'GET', path);
    expect(r.json.result.map((x: { name: string }) => x.name)).toEqual([
      'connection_admin',
      'credential_admin',
    ]);
    expect(r.headers.get('x-total-count')).toBe('5');
    const links = Object.fromEntries(
      (r.headers.get('link') ?? '').split(',').map((part) => {
        const [, url, rel] = /<([^>]+)>;rel="(\w+)"/.exec(part) ?? [];
        return [rel, new URL(url ?? '').searchParams.get('sysparm_offset')];
      }),
    );
    expect(links).toEqual({ first: '0', prev: '0', next: '4', last: '4' });
  });

  it('returns the record by sys_id and 404 for missing or malformed ids', async () => {
    const ok = await call(sim, 'GET', `/api/now/table/sys_alias/${mainAlias()}?sysparm_fields=name`);
    expect(ok.json).toEqual({ result: { name: 'Microsoft_Exchange_Online' } });
    for (const id of ['0123456789abcdef0123456789abcdef', 'not-a-sys-id']) {
      const missing = await call(sim, 'GET', `/api/now/table/sys_alias/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({
        error: {
          message: 'No Record found',
          detail: "Record doesn't exist or ACL restricts the record retrieval",
        },
        status: 'failure',
      });
    }
  });

  it('returns child rows from the base table with sys_class_name', async () => {
    const r = await call(
      sim,
      'GET',
      '/api/now/table/discovery_credentials?sysparm_fields=name,sys_class_name',
    );
    expect(r.json.result).toEqual([
      { name: 'Exchange_Online_Credentials', sys_class_name: 'oauth_2_0_credentials' },
      { name: 'Exchange_Online_Credentials_clientCred', sys_class_name: 'oauth_2_0_credentials' },
    ]);
  });

  it('answers 400 "Invalid table" for an unknown table', async () => {
    const r = await call(sim, 'GET', '/api/now/table/u_nope');
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ error: { message: 'Invalid table u_nope', detail: null }, status: 'failure' });
  });

  it('refuses an Accept header that excludes JSON, accepts */* and none', async () => {
    expect(
      (await call(sim, 'GET', '/api/now/table/sys_alias', { headers: { Accept: 'application/xml' } })).status,
    ).toBe(400);
    expect((await call(sim, 'GET', '/api/now/table/sys_alias', { headers: { Accept: '*/*' } })).status).toBe(
      200,
    );
  });
});

describe('Table API writes', () => {
  it('creates with 201 + Location, ignoring unknown fields and coercing values to strings', async () => {
    const r = await call(sim, 'POST', '/api/now/table/http_connection', {
      body: {
        name: 'Exchange_Online_Connection',
        active: true,
        connection_alias: mainAlias(),
        order: 5,
        u_unknown: 'x',
      },
    });
    expect(r.status).toBe(201);
    const id = r.json.result.sys_id;
    expect(r.headers.get('location')).toBe(`${sim.url}/api/now/table/http_connection/${id}`);
    expect(r.json.result).toMatchObject({
      name: 'Exchange_Online_Connection',
      active: 'true',
      order: '5',
      sys_class_name: 'http_connection',
      sys_created_by: 'admin',
    });
    expect(r.json.result).not.toHaveProperty('u_unknown');
    expect(sim.db.get('http_connection', id)?.connection_alias).toBe(mainAlias());
  });

  it('patches only the fields sent, PUT alike, and deletes with 204 and no body', async () => {
    const created = await call(sim, 'POST', '/api/now/table/http_connection', {
      body: { name: 'c1', connection_url: 'u1' },
    });
    const id = created.json.result.sys_id;
    const patched = await call(sim, 'PATCH', `/api/now/table/http_connection/${id}`, {
      body: { connection_url: 'u2' },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.result).toMatchObject({ name: 'c1', connection_url: 'u2', sys_mod_count: '1' });
    const put = await call(sim, 'PUT', `/api/now/v1/table/http_connection/${id}`, { body: { name: 'c2' } });
    expect(put.json.result).toMatchObject({ name: 'c2', connection_url: 'u2', sys_mod_count: '2' });
    const deleted = await call(sim, 'DELETE', `/api/now/table/http_connection/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(sim.db.get('http_connection', id)).toBeUndefined();
    expect((await call(sim, 'DELETE', `/api/now/table/http_connection/${id}`)).status).toBe(404);
  });

  it('resolves references by display value with sysparm_input_display_value=true', async () => {
    const r = await call(sim, 'POST', '/api/now/table/http_connection?sysparm_input_display_value=true', {
      body: {
        name: 'c',
        connection_alias: 'Microsoft_Exchange_Online',
        credential: 'Exchange_Online_Credentials',
      },
    });
    const row = sim.db.get('http_connection', r.json.result.sys_id);
    expect(row?.connection_alias).toBe(mainAlias());
    expect(row?.credential).toBe(
      sim.db.find('discovery_credentials', (c) => c.name === 'Exchange_Online_Credentials')?.sys_id,
    );
  });

  it('stores password2 usable only with sysparm_input_display_value=true and never echoes it', async () => {
    const { secretState } = await import('../../../src/main/simulator');
    const entity = spokeIds.entity('client_credentials');
    const plain = await call(sim, 'PATCH', `/api/now/table/oauth_entity/${entity}`, {
      body: { client_secret: 'TopSecret-1' },
    });
    expect(plain.text).not.toContain('TopSecret-1');
    expect(secretState(sim.db.get('oauth_entity', entity)?.client_secret)).toBe('malformed');
    const good = await call(
      sim,
      'PATCH',
      `/api/now/table/oauth_entity/${entity}?sysparm_input_display_value=true`,
      {
        body: { client_secret: 'TopSecret-1' },
      },
    );
    expect(good.text).not.toContain('TopSecret-1');
    expect(good.json.result.client_secret).toBe('********');
    expect(secretState(sim.db.get('oauth_entity', entity)?.client_secret)).toBe('usable');
    expect(JSON.stringify(sim.db.dump())).not.toContain('TopSecret-1');
  });

  it('accepts a client-chosen sys_id on insert', async () => {
    const id = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const r = await call(sim, 'POST', '/api/now/table/oauth_2_0_credentials', {
      body: { sys_id: id, name: 'x' },
    });
    expect(r.json.result.sys_id).toBe(id);
    expect(
      (await call(sim, 'POST', '/api/now/table/oauth_2_0_credentials', { body: { sys_id: id, name: 'y' } }))
        .status,
    ).toBe(403);
  });

  it('suppresses the body with X-no-response-body', async () => {
    const r = await call(sim, 'POST', '/api/now/table/sys_alias', {
      body: { name: 'a' },
      headers: { 'X-no-response-body': 'true' },
    });
    expect(r.status).toBe(201);
    expect(r.text).toBe('');
  });

  it('answers 400 for malformed JSON, arrays and a non-JSON content type', async () => {
    const bad = await call(sim, 'POST', '/api/now/table/sys_alias', { body: '{"name":' });
    expect(bad.status).toBe(400);
    expect(bad.json.status).toBe('failure');
    expect((await call(sim, 'POST', '/api/now/table/sys_alias', { body: [{ name: 'a' }] })).status).toBe(400);
    const text = await call(sim, 'POST', '/api/now/table/sys_alias', {
      body: '{"name":"a"}',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(text.status).toBe(400);
  });

  it('answers 405 for a write without sys_id and for a POST with one', async () => {
    expect((await call(sim, 'PATCH', '/api/now/table/sys_alias', { body: {} })).status).toBe(405);
    expect((await call(sim, 'DELETE', '/api/now/table/sys_alias')).status).toBe(405);
    expect((await call(sim, 'POST', `/api/now/table/sys_alias/${mainAlias()}`, { body: {} })).status).toBe(
      405,
    );
  });

  it('answers 413 for an oversized body', async () => {
    const small = await startSimulator({ maxBodyBytes: 1024 });
    try {
      const r = await call(small, 'POST', '/api/now/table/sys_alias', { body: { name: 'x'.repeat(5000) } });
      expect(r.status).toBe(413);
      expect((await call(small, 'GET', '/api/now/table/sys_alias?sysparm_limit=1')).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});
