// The token check after an apply (tokenStatus, src/main/engine/next-steps.ts) against the simulator: it asks
// for the checked credentials' token rows only, never for the token values, finds a token in any domain,
// and shows the latest expiry whatever order the instance returns the rows in.
import { describe, expect, it } from 'vitest';
import { tokenStatus } from '../../../src/main/engine';
import { startHarness } from './harness';

const NOW = () => new Date('2026-03-01T10:00:00.000Z');

describe('the token check', () => {
  it("asks only for the checked credentials' token rows, and never for the token values", async () => {
    const h = await startHarness('fresh');
    h.sim.db.insert('oauth_credential', {
      oauth_requestor: 'c1',
      token_type: 'access_token',
      expires: '2026-03-01 11:00:00',
    });
    h.sim.clearLog();

    await tokenStatus(
      h.client,
      [
        { name: 'One', sysId: 'c1' },
        { name: 'Two', sysId: 'c2' },
      ],
      NOW,
    );

    const reads = h.sim.log.filter((e) => e.method === 'GET' && e.path.endsWith('/oauth_credential'));
    expect(reads).toHaveLength(1);
    const query = reads[0]!.query;
    // The token table holds every integration's tokens: only these two credentials' rows are asked for.
    expect(query.sysparm_query).toContain('oauth_requestorINc1,c2');
    // `token` holds the token value itself (a secret): only what the check reports is asked for.
    expect(query.sysparm_fields?.split(',').sort()).toEqual(
      ['expires', 'oauth_requestor', 'sys_id', 'token_type'].sort(),
    );
  });

  it("finds a credential's token in a domain the signed-in admin is not in", async () => {
    // The admin is in ACME; the INITECH credential's token is stored in INITECH's domain.
    const h = await startHarness('domains');
    const initech = h.sim.db.find('domain', (d) => d.name === 'INITECH')?.sys_id ?? '';
    expect(initech).not.toBe('');
    h.sim.db.insert(
      'oauth_credential',
      { oauth_requestor: 'c-initech', token_type: 'access_token', expires: '2026-03-01 11:00:00' },
      { domain: initech },
    );

    const [status] = await tokenStatus(h.client, [{ name: 'INITECH', sysId: 'c-initech' }], NOW);
    expect(status).toMatchObject({ hasToken: true, expiresAt: '2026-03-01 11:00:00' });
  });

  it('shows the latest expiry even when the instance returns it first', async () => {
    const h = await startHarness('fresh');
    for (const expires of ['2026-03-01 12:00:00', '2026-03-01 11:00:00']) {
      h.sim.db.insert('oauth_credential', { oauth_requestor: 'c1', token_type: 'access_token', expires });
    }

    const [status] = await tokenStatus(h.client, [{ name: 'One', sysId: 'c1' }], NOW);
    expect(status?.expiresAt).toBe('2026-03-01 12:00:00');
  });
});
