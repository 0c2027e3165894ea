// The demo's HTML pages: record pages, the OAuth initiator page and the simulated "Get OAuth Token".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/main/simulator';
import { basic } from './http';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scenario: 'credentials' });
});
afterAll(() => sim.close());

async function page(
  path: string,
  method = 'GET',
  auth = true,
): Promise<{ status: number; text: string; type: string | null }> {
  const r = await fetch(`${sim.url}${path}`, {
    method,
    headers: auth ? { Authorization: basic(sim.users.admin) } : {},
  });
  return { status: r.status, text: await r.text(), type: r.headers.get('content-type') };
}

describe('pages', () => {
  it('asks the browser to log in', async () => {
    const r = await fetch(`${sim.url}/sys_alias.do?sys_id=x`);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^BASIC/i);
  });

  it('renders a record with its fields HTML-escaped and never a password2 value', async () => {
    const entity = sim.db.rows('oauth_entity')[0];
    sim.db.update('oauth_entity', entity?.sys_id ?? '', {
      name: '<script>alert(1)</script>',
      client_secret: 'hash:abc',
    });
    const r = await page(`/oauth_entity.do?sys_id=${entity?.sys_id}`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/html/);
    expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.text).not.toContain('<script>');
    expect(r.text).not.toContain('hash:abc');
    expect((await page('/oauth_entity.do?sys_id=nope')).status).toBe(404);
  });

  it('explains the OAuth initiator instead of redirecting to Microsoft', async () => {
    const r = await page(
      '/oauth_initiator.do?oauth_requestor_context=oauth_2_0_credentials&oauth_requestor=abc&response_type=code',
    );
    expect(r.status).toBe(200);
    expect(r.text).toContain('Microsoft sign-in');
  });

  it('"Get OAuth Token" on a credential stores an oauth_credential row for it', async () => {
    const credential = sim.db.find(
      'oauth_2_0_credentials',
      (c) => c.name === 'Exchange_Online_Credentials_clientCred',
    );
    const form = await page(`/oauth_2_0_credentials.do?sys_id=${credential?.sys_id}`);
    expect(form.text).toContain('Get OAuth Token');
    expect(sim.db.filter('oauth_credential', (t) => t.oauth_requestor === credential?.sys_id)).toHaveLength(
      0,
    );
    const r = await page(
      `/oauth_2_0_credentials.do?sys_id=${credential?.sys_id}&sysparm_action=get_token`,
      'POST',
    );
    expect(r.status).toBe(200);
    const tokens = sim.db.filter('oauth_credential', (t) => t.oauth_requestor === credential?.sys_id);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({
      token_type: 'access_token',
      oauth_requestor_context: 'oauth_2_0_credentials',
    });
    expect(tokens[0]?.expires).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('shows a home page listing the aliases', async () => {
    const r = await page('/');
    expect(r.text).toContain('Microsoft_Exchange_Online');
  });
});
