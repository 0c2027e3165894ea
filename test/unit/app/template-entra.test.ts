// Applying a template with an Entra app (issue 10) fills each instance's draft with its own tenant and
// client ID from the instance's variables, through the IPC channels; a missing variable names the
// instance, the variable and the Entra field.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

describe('a template with an Entra app, applied to instances', () => {
  it('fills each draft’s Entra app from that instance’s variables; a missing one is named', async () => {
    let openPath = '';
    h = await startHarness(2, { chooseOpenPath: async () => openPath });
    openPath = join(h.userDataDir, 'walkup-templates.json');
    await writeFile(
      openPath,
      JSON.stringify({
        templates: [
          {
            name: 'walkup',
            variables: [{ name: 'tenant' }, { name: 'client_id' }],
            main: {},
            clientCred: {},
            entra: { tenant: '{tenant}', clientId: '{client_id}' },
          },
        ],
      }),
    );
    await h.ok('app:transfer:import', { what: 'templates' });
    const [first, second] = await h.ok('app:instances:list', {});
    await h.ok('app:instances:save', {
      id: first!.id,
      name: first!.name,
      url: first!.url,
      authMethod: 'basic',
      username: first!.username,
      variables: { tenant: TENANT, client_id: CLIENT },
    });
    await h.ok('app:instances:save', {
      id: second!.id,
      name: second!.name,
      url: second!.url,
      authMethod: 'basic',
      username: second!.username,
      variables: { client_id: CLIENT },
    });

    const result = await h.ok('app:templates:apply', { name: 'walkup', ids: [first!.id, second!.id] });
    expect(result.applied).toEqual([first!.id]);
    expect(result.failed).toEqual([second!.id]);
    expect(result.instances[1]!.errors).toEqual([
      expect.objectContaining({ form: null, field: 'entra.tenant', variable: 'tenant' }),
    ]);
    expect(result.instances[1]!.errors[0]!.message).toBe(
      `${second!.name}: Variable {tenant} (used in entra.tenant) has no value: set it on the instance.`,
    );
    const draft = await h.ok('app:drafts:get', { id: first!.id });
    expect(draft.entra).toMatchObject({ tenant: TENANT, clientId: CLIENT });
  });
});

describe('a template with an Entra app, edited in the app', () => {
  it('keeps the Entra app through a save of what the list shows; leaving it out removes it', async () => {
    let openPath = '';
    h = await startHarness(0, { chooseOpenPath: async () => openPath });
    openPath = join(h.userDataDir, 'entra-templates.json');
    const entra = { tenant: '{tenant}', clientId: '{client_id}', secretExpires: '2031-06-30' };
    await writeFile(
      openPath,
      JSON.stringify({
        templates: [
          {
            name: 'walkup',
            variables: [{ name: 'tenant' }, { name: 'client_id' }],
            main: { name: 'Walkup_Connection' },
            clientCred: {},
            entra,
          },
        ],
      }),
    );
    await h.ok('app:transfer:import', { what: 'templates' });
    const [listed] = await h.ok('app:templates:list', {});
    expect(listed!.entra).toEqual(entra);
    expect(listed!.usage).toEqual([
      { variable: 'tenant', fields: ['entra.tenant'] },
      { variable: 'client_id', fields: ['entra.clientId'] },
    ]);

    // What the editor sends for an edit: the listed template, with the description changed.
    const input = {
      name: listed!.name,
      description: 'Edited in the app',
      variables: listed!.variables.map((v) => ({ name: v.name })),
      main: listed!.main,
      clientCred: listed!.clientCred,
      ...(listed!.entra ? { entra: listed!.entra } : {}),
      basedOn: listed!.revision,
    };
    const saved = await h.ok('app:templates:save', input);
    expect(saved.entra).toEqual(entra);
    expect((await h.ok('app:templates:list', {}))[0]!.entra).toEqual(entra);

    // The person cleared the Entra app: the input has none, so the template has none.
    const { entra: _cleared, ...withoutEntra } = input;
    const removed = await h.ok('app:templates:save', { ...withoutEntra, basedOn: saved.revision });
    expect(removed.entra).toBeNull();
    expect(removed.usage).toEqual([]);
    expect((await h.ok('app:templates:list', {}))[0]!.entra).toBeNull();
  });

  it('refuses an Entra app with a secret or a fixed tenant, naming the field', async () => {
    h = await startHarness(0);
    const template = { name: 'walkup', variables: [{ name: 'client_id' }], main: {}, clientCred: {} };
    const secret = await h.call('app:templates:save', {
      ...template,
      entra: { tenant: '{client_id}', clientId: '{client_id}', clientSecret: 'hunter2-value' },
    });
    expect(secret).toMatchObject({ ok: false, code: 'invalid_input' });
    const secretMessage = (secret as { message: string }).message;
    expect(secretMessage).toContain('entra.clientSecret');
    expect(secretMessage).toContain('looks like a secret');
    expect(secretMessage).not.toContain('hunter2-value');

    const fixed = await h.call('app:templates:save', {
      ...template,
      entra: { tenant: '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e', clientId: '{client_id}' },
    });
    expect(fixed).toMatchObject({ ok: false, code: 'invalid_input' });
    expect((fixed as { message: string }).message).toContain('entra.tenant must be a per-instance variable');
    expect(await h.ok('app:templates:list', {})).toEqual([]);
  });
});
