// The first authenticated call of a client goes alone, so that every later call rides the session its answer
// opens (docs/reliability.md §4.3); once a session is open, calls go out together. Both sides, and a first
// call that got no answer.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServiceNowClient } from '../../../src/main/servicenow';
import { failureOf, harness, scriptedInstance, type Harness, type ScriptedAnswer } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.faults.clear();
  h.sim.clearLog();
});

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('opening the session', () => {
  it('a first call that got no answer leaves the next one to open the session alone', async () => {
    const client = h.client({ retry: { limit: 0 } });
    h.sim.faults.add({ kind: 'reset', times: 1 });
    await failureOf(client.list('sys_alias', { limit: 1 }));
    const before = h.sim.sessionsCreated;
    await Promise.all([1, 2, 3].map(() => client.list('sys_alias', { limit: 1 })));
    expect(h.sim.sessionsCreated - before).toBe(1);
  });

  it('once the session is open, calls go out together', async () => {
    const concurrent = 3;
    const held: Array<() => void> = [];
    const releaseAll = () => {
      for (const release of held.splice(0)) release();
    };
    // Calls sent one after the other never all arrive: this lets them through, and the test fail on `most`.
    // Calls that go together never wait for it.
    let gaveUp = false;
    const fallback = setTimeout(() => {
      gaveUp = true;
      releaseAll();
    }, 10_000);
    closers.push(() => clearTimeout(fallback));
    let inFlight = 0;
    let most = 0;
    let opened = false;
    const scripted = await scriptedInstance(async () => {
      if (!opened) {
        opened = true;
        return { headers: { 'set-cookie': 'JSESSIONID=s1; Path=/' }, body: { result: [] } };
      }
      inFlight++;
      most = Math.max(most, inFlight);
      if (!gaveUp) {
        await new Promise<void>((resolve) => {
          held.push(resolve);
          if (held.length === concurrent) releaseAll();
        });
      }
      inFlight--;
      return { body: { result: [] } } satisfies ScriptedAnswer;
    });
    closers.push(() => scripted.close());
    const client = createServiceNowClient({
      instanceUrl: scripted.url,
      auth: { kind: 'basic', username: 'admin', password: 'pw' },
      env: {},
    });
    closers.push(() => client.close());
    await client.list('sys_alias');
    await Promise.all(Array.from({ length: concurrent }, () => client.list('sys_alias')));
    expect(most).toBe(concurrent);
    expect(scripted.requests.slice(1).map((r) => r.headers['cookie'])).toEqual(
      Array.from({ length: concurrent }, () => 'JSESSIONID=s1'),
    );
  }, 60_000);
});
