// The Entra app through the window's fleet screens (issue 10): a fleet plan and a fleet apply read each
// instance's client secret from the keychain and check its Entra app at the settings' authority, as a
// single apply does — without them every registry would be planned as "no secret" and blocked.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(1);
});
afterAll(async () => {
  await h?.close();
});

it('a fleet plan whose registries cannot be written (no secret kept) is not ready, and says why', async () => {
  const id = h.ids[0]!;
  const app = h.sims[0]!.entraApp;
  // The fresh instance's registries hold no secret: with none kept, the plan blocks them.
  await h.ok('app:drafts:save', {
    id,
    ...defaultDesiredState(),
    entra: { tenant: app.tenantId, clientId: app.clientId, secretExpires: '' },
  });
  const item = (await h.ok('app:fleet:plan', { ids: [id] })).instances[0]!;
  expect(item.ready).toBe(false);
  expect(item.notReady?.reason).toBe('blocked');
  expect(item.notReady?.message).toMatch(/client secret/);
});

it('a fleet plan and a fleet apply check the Entra app with the kept secret and write both registries', async () => {
  const id = h.ids[0]!;
  const sim = h.sims[0]!;
  const app = sim.entraApp;
  await h.ok('app:settings:save', { entraAuthority: app.authority });
  await h.ok('app:entra:secret', { id, secret: app.clientSecret });
  await h.ok('app:drafts:save', {
    id,
    ...defaultDesiredState(),
    entra: { tenant: app.tenantId, clientId: app.clientId, secretExpires: '' },
  });
  const entraAsked = () => sim.log.filter((e) => e.path.startsWith('/entra/')).length;

  const planned = await h.ok('app:fleet:plan', { ids: [id] });
  expect(JSON.stringify(planned)).not.toContain(app.clientSecret);
  const item = planned.instances[0]!;
  expect(item.ready, JSON.stringify(item.notReady)).toBe(true);
  expect(item.plan?.registries?.map((r) => [r.op, r.secret])).toEqual([
    ['update', 'set'],
    ['update', 'set'],
  ]);
  expect(item.plan?.entraCheck?.status).toBe('passed');
  expect(entraAsked()).toBe(1);

  const applied = await h.ok('app:fleet:apply', { ids: [id] });
  expect(applied.succeeded, JSON.stringify(applied.outcomes)).toEqual([id]);
  expect(entraAsked()).toBe(2);
  for (const name of ['Microsoft Exchange Online', 'Microsoft Exchange Online_clientCredentials']) {
    expect(sim.db.find('oauth_entity', (r) => r.name === name)).toMatchObject({ client_id: app.clientId });
  }
});
