// Drift after someone edits a record on the instance, and templates rendered with each instance's
// variables (with a missing variable named with its instance and field), through the IPC channels.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('drift', () => {
  it('lists the differing fields of an edited instance; the others match or were never applied', async () => {
    h = await startHarness(3);
    const applied = await h.ok('app:fleet:apply', { ids: [h.ids[0]!, h.ids[1]!] });
    expect(applied.succeeded).toHaveLength(2);

    const sim = h.sims[0]!;
    const connection = sim.db.find('http_connection', (r) => r.name === 'Exchange_Online_Connection')!;
    sim.db.update('http_connection', connection.sys_id!, { connection_url: 'https://graph.example.com' });

    const view = await h.ok('app:drift:check', {});
    expect(view.drifted).toEqual([h.ids[0]]);
    const [edited, same, never] = view.instances;
    expect(edited).toMatchObject({ instanceId: h.ids[0], name: 'Customer 1', state: 'drift' });
    expect(edited!.differences).toEqual([
      {
        record: 'Exchange_Online_Connection',
        table: 'http_connection',
        field: 'connection_url',
        applied: 'https://graph.microsoft.com',
        current: 'https://graph.example.com',
      },
    ]);
    expect(edited!.appliedAt).toEqual(expect.any(String));
    expect(same).toMatchObject({ state: 'matches', differences: [] });
    expect(never).toMatchObject({ state: 'never_applied' });

    const statuses = Object.fromEntries((await h.ok('app:instances:list', {})).map((i) => [i.id, i.status]));
    expect(statuses[h.ids[0]!]).toBe('drift');
    expect(statuses[h.ids[1]!]).toBe('provisioned');

    // One instance only, after the record is put back.
    sim.db.update('http_connection', connection.sys_id!, { connection_url: 'https://graph.microsoft.com' });
    const one = await h.ok('app:drift:check', { ids: [h.ids[0]!] });
    expect(one.instances.map((i) => [i.instanceId, i.state])).toEqual([[h.ids[0], 'matches']]);
    expect((await h.ok('app:instances:list', {})).find((i) => i.id === h!.ids[0])!.status).toBe(
      'provisioned',
    );
  });

  it('says which instance could not be reached instead of failing the whole check', async () => {
    h = await startHarness(2);
    await h.ok('app:fleet:apply', { ids: h.ids });
    h.sims[1]!.faults.add({ kind: 'hibernate' });
    const view = await h.ok('app:drift:check', { ids: h.ids });
    expect(view.instances.map((i) => i.state)).toEqual(['matches', 'error']);
    expect(view.instances[1]!.message).toMatch(/hibernat/i);
  });
});

describe('templates', () => {
  const template = {
    name: 'acme-style',
    description: 'Customer naming convention',
    variables: [{ name: 'customer', description: 'Short customer name' }],
    main: {
      name: '{customer}_Exchange_Online_Connection',
      credential: '{customer}_Exchange_Online_Credential',
    },
    clientCred: {},
  };

  it('saves, lists with the variables each field uses, and removes', async () => {
    h = await startHarness(0);
    const saved = await h.ok('app:templates:save', template);
    expect(saved.usage).toEqual([{ variable: 'customer', fields: ['main.name', 'main.credential'] }]);
    expect(await h.ok('app:templates:list', {})).toEqual([saved]);
    expect(await h.ok('app:templates:remove', { name: 'acme-style' })).toEqual({ removed: true });
    expect(await h.ok('app:templates:list', {})).toEqual([]);
    expect(await h.ok('app:templates:remove', { name: 'acme-style' })).toEqual({ removed: false });
    // A field the workspace refuses comes back as invalid input, not a crash.
    const bad = await h.call('app:templates:save', { ...template, variables: [{ name: '1bad' }] });
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' });
  });

  it("renders with each instance's variables into its drafts; a missing variable names instance, variable and field", async () => {
    h = await startHarness(2);
    await h.ok('app:templates:save', template);
    const [first, second] = await h.ok('app:instances:list', {});
    // Variables are edited with the instance; no password needed, nothing re-verified.
    const requestsBefore = h.sims[0]!.log.length;
    const edited = await h.ok('app:instances:save', {
      id: first!.id,
      name: first!.name,
      url: first!.url,
      authMethod: 'basic',
      username: first!.username,
      variables: { customer: 'ACME' },
    });
    expect(edited.variables).toEqual({ customer: 'ACME' });
    expect(h.sims[0]!.log.length).toBe(requestsBefore);

    const result = await h.ok('app:templates:apply', { name: 'acme-style', ids: [first!.id, second!.id] });
    expect(result.applied).toEqual([first!.id]);
    expect(result.failed).toEqual([second!.id]);
    const problem = result.instances[1]!;
    expect(problem.errors.length).toBeGreaterThan(0);
    expect(problem.errors[0]).toMatchObject({ variable: 'customer', form: 'main', field: 'name' });
    expect(problem.errors[0]!.message).toContain(second!.name);
    expect(problem.errors[0]!.message).toContain('{customer}');
    expect(problem.errors[0]!.message).toContain('main.name');

    const draft = await h.ok('app:drafts:get', { id: first!.id });
    expect(draft.main.name).toBe('ACME_Exchange_Online_Connection');
    expect(draft.main.credential).toBe('ACME_Exchange_Online_Credential');
    // The untouched instance keeps the defaults.
    expect((await h.ok('app:drafts:get', { id: second!.id })).updatedAt).toBeNull();
    const listed = (await h.ok('app:instances:list', {})).find((i) => i.id === first!.id)!;
    expect(listed.template).toBe('acme-style');
    expect(listed.variables).toEqual({ customer: 'ACME' });

    // The fleet plans from the rendered draft.
    const plan = await h.ok('app:fleet:plan', { ids: [first!.id] });
    expect(plan.instances[0]!.source).toBe('draft');
    const names = plan.instances[0]!.plan!.actions.map((a) => a.name);
    expect(names).toContain('ACME_Exchange_Online_Connection');

    expect(await h.call('app:templates:apply', { name: 'missing', ids: [first!.id] })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });
});
