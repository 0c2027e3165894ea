// Small promises of the engine's read-only and guard entry points: the token check (tokenStatus) reads each
// credential's own tokens and reports the access token's expiry; a rollback of a rollback is refused; the
// report's "Run by" is the OS account running Spokesmith.
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { applyPlan, applyRollback, currentOsUser, tokenStatus } from '../../../src/main/engine';
import { planFor, startHarness, writesSent, RETRY } from './harness';

const NOW = () => new Date('2026-03-01T10:00:00.000Z');

describe('the token check', () => {
  it("reports each credential's own tokens, with the latest expiry of its access tokens", async () => {
    const h = await startHarness('fresh');
    const token = (requestor: string, type: string, expires: string) =>
      h!.sim.db.insert('oauth_credential', { oauth_requestor: requestor, token_type: type, expires });
    token('c-main', 'access_token', '2026-03-01 11:00:00');
    token('c-main', 'Access_Token', '2026-03-01 12:00:00');
    // A refresh token lives longer: it does not say when the access expires.
    token('c-main', 'refresh_token', '2026-06-01 00:00:00');
    // Only a refresh token: its expiry is all there is to say.
    token('c-refresh', 'refresh_token', '2026-04-01 00:00:00');
    token('c-other', 'access_token', '2026-05-01 00:00:00');

    const statuses = await tokenStatus(
      h.client,
      [
        { name: 'Main', sysId: 'c-main' },
        { name: 'Refresh only', sysId: 'c-refresh' },
        { name: 'None', sysId: 'c-none' },
      ],
      NOW,
    );
    expect(statuses).toEqual([
      {
        credentialName: 'Main',
        credentialSysId: 'c-main',
        hasToken: true,
        expiresAt: '2026-03-01 12:00:00',
        checkedAt: '2026-03-01T10:00:00.000Z',
      },
      {
        credentialName: 'Refresh only',
        credentialSysId: 'c-refresh',
        hasToken: true,
        expiresAt: '2026-04-01 00:00:00',
        checkedAt: '2026-03-01T10:00:00.000Z',
      },
      {
        credentialName: 'None',
        credentialSysId: 'c-none',
        hasToken: false,
        expiresAt: null,
        checkedAt: '2026-03-01T10:00:00.000Z',
      },
    ]);
  });

  it('a token without an expiry says it exists, with no expiry', async () => {
    const h = await startHarness('fresh');
    h.sim.db.insert('oauth_credential', { oauth_requestor: 'c1', token_type: 'access_token' });
    const [status] = await tokenStatus(h.client, [{ name: 'C', sysId: 'c1' }], NOW);
    expect(status).toMatchObject({ hasToken: true, expiresAt: null });
  });

  it('asks the instance nothing when there are no credentials to check', async () => {
    const h = await startHarness('fresh');
    h.sim.clearLog();
    expect(await tokenStatus(h.client, [], NOW)).toEqual([]);
    expect(h.sim.log).toEqual([]);
  });
});

describe('a rollback of a rollback', () => {
  it('is refused before anything is sent', async () => {
    const h = await startHarness('fresh');
    const plan = await planFor(h);
    const applied = await applyPlan({ client: h.client, plan, dir: h.dir, retry: RETRY });
    h.sim.clearLog();
    await expect(
      applyRollback({
        client: h.client,
        record: { ...applied, kind: 'rollback' },
        plan,
        dir: h.dir,
        retry: RETRY,
      }),
    ).rejects.toThrow('Only an apply can be rolled back (this record is itself a rollback).');
    expect(writesSent(h.sim)).toEqual([]);
  });
});

describe("the report's Run by", () => {
  it('is the OS account running Spokesmith', () => {
    expect(currentOsUser()).toBe(userInfo().username || null);
    expect(currentOsUser()).not.toBeUndefined();
  });
});
