import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileProblemError } from '../../../src/main/storage/errors';
import { renderTemplate } from '../../../src/shared/workspace/template';
import type { Template } from '../../../src/shared/workspace/schemas';
import { openWorkspace } from '../../../src/main/workspace';
import { tempDir } from './helpers';

const NAMING: Template = {
  name: 'customer-naming',
  variables: [{ name: 'customer' }, { name: 'domain', default: 'global' }],
  main: { name: '{customer}_Exchange_Online_Connection', credential: '{customer}_Creds', domain: '{domain}' },
  clientCred: { name: '{customer}_Exchange_Online_Connection_clientCred', credential: '{customer}_Creds_cc' },
};

describe('renderTemplate', () => {
  it('fills variables into every form and keeps the procedure defaults elsewhere', () => {
    const result = renderTemplate(NAMING, { customer: 'ACME' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.desired.main).toMatchObject({
      alias: 'Microsoft_Exchange_Online',
      name: 'ACME_Exchange_Online_Connection',
      credential: 'ACME_Creds',
      domain: 'global',
      connectionUrl: 'https://graph.microsoft.com',
      grant: 'authorization_code',
    });
    expect(result.desired.clientCred.name).toBe('ACME_Exchange_Online_Connection_clientCred');
  });

  it('names a missing variable and the fields that use it', () => {
    const result = renderTemplate(NAMING, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ variable: 'customer', form: 'main', field: 'name' });
    expect(result.errors[0]!.message).toContain('{customer}');
    expect(result.errors[0]!.message).toContain(
      'main.name, main.credential, clientCred.name, clientCred.credential',
    );
  });

  it('names an unknown (undeclared) variable', () => {
    const result = renderTemplate(
      { ...NAMING, main: { ...NAMING.main, name: '{client}_Conn' } },
      { customer: 'A' },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({
        variable: 'client',
        field: 'name',
        message: expect.stringMatching(/does not declare/),
      }),
    ]);
  });

  it('reports a value that makes a field invalid, naming field and variable', () => {
    const result = renderTemplate(NAMING, { customer: 'ACME/Corp' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ form: 'main', field: 'name', variable: 'customer' });
    expect(result.errors[0]!.message).toMatch(/main\.name: Name may contain only/);
  });

  it('overrides a default variable value with the instance value', () => {
    const result = renderTemplate(NAMING, { customer: 'ACME', domain: 'EMEA' });
    expect(result.ok && result.desired.main.domain).toBe('EMEA');
  });
});

describe('templates in the workspace, applied to many instances', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('renders per instance from the variables stored on each instance', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(NAMING);
    for (const customer of ['ACME', 'Globex']) {
      await ws.instances.save({
        name: customer,
        url: customer.toLowerCase(),
        authMethod: 'basic',
        username: 'admin',
        template: 'customer-naming',
        variables: { customer },
      });
    }
    const names = ws.instances.list().map((i) => {
      const r = ws.templates.render(i.template!, i.variables ?? {});
      return r.ok ? r.desired.main.name : r.errors[0]!.message;
    });
    expect(names).toEqual(['ACME_Exchange_Online_Connection', 'Globex_Exchange_Online_Connection']);
    expect(ws.templates.render('nope', {})).toMatchObject({ ok: false });
  });

  it('refuses to save an invalid template and reports a corrupt template file', async () => {
    const ws = await openWorkspace(dir);
    await expect(ws.templates.save({ ...NAMING, name: '../x' })).rejects.toThrow(/name/);
    await ws.templates.save(NAMING);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      `${dir}/templates/customer-naming.json`,
      '{"kind":"spokesmith.template","version":1,"data":{"name":1}}',
    );
    const reopened = await openWorkspace(dir);
    expect(reopened.templates.list()).toEqual([]);
    expect(reopened.problems[0]!.message).toMatch(/customer-naming\.json has invalid values/);
  });
  it('leaves alone a JSON file in templates/ whose name no template could have', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(NAMING);
    const notes = join(dir, 'templates', 'team notes.json');
    await writeFile(notes, '{"written": "by hand"}');
    await ws.reload();
    expect(ws.templates.list()).toEqual([NAMING]);
    expect(ws.problems).toEqual([]);
    expect(await readFile(notes, 'utf8')).toBe('{"written": "by hand"}');
  });

  it('reports a template file that holds another template, naming the file and the template', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(NAMING);
    const file = join(dir, 'templates', 'customer-naming.json');
    await rename(file, join(dir, 'templates', 'copy.json'));
    await ws.reload();
    expect(ws.templates.list()).toEqual([]);
    expect(ws.problems).toEqual([
      {
        file: join(dir, 'templates', 'copy.json'),
        reason: 'invalid',
        message: 'copy.json holds template "customer-naming"; the file name must match the template name.',
        movedTo: null,
      },
    ]);
  });

  it('refuses to remove a template file it cannot read, and keeps it', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(NAMING);
    const file = join(dir, 'templates', 'customer-naming.json');
    const newer = '{"kind":"spokesmith.template","version":99,"data":{}}';
    await writeFile(file, newer);
    await expect(ws.templates.remove('customer-naming')).rejects.toBeInstanceOf(FileProblemError);
    expect(await readFile(file, 'utf8')).toBe(newer);
    expect(await ws.templates.remove('never-saved')).toBe(false);
  });
  it('lists templates by name, and keeps an edit to one that exists', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save({ ...NAMING, name: 'zeta' });
    await ws.templates.save({ ...NAMING, name: 'alpha' });
    expect(ws.templates.list().map((t) => t.name)).toEqual(['alpha', 'zeta']);
    await ws.templates.save({ ...NAMING, name: 'zeta', description: 'edited' });
    expect((await openWorkspace(dir)).templates.get('zeta')?.description).toBe('edited');
  });

  it('does not rewrite a template saved again unchanged (teammates and watchers see no change)', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(NAMING);
    const file = join(dir, 'templates', 'customer-naming.json');
    const before = await stat(file);
    await ws.templates.save({ ...NAMING });
    expect((await stat(file)).ino).toBe(before.ino); // An atomic write would be a new file.
  });

  it('removes a template file, and says whether there was one', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(NAMING);
    expect(await ws.templates.remove('customer-naming')).toBe(true);
    await expect(stat(join(dir, 'templates', 'customer-naming.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(ws.templates.list()).toEqual([]);
    expect(await ws.templates.remove('customer-naming')).toBe(false);
  });

  it("forgets the problem of a template file once it is fixed, and keeps other files' problems", async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(NAMING);
    const file = join(dir, 'templates', 'customer-naming.json');
    const good = await readFile(file, 'utf8');
    await writeFile(file, '{ broken');
    await ws.reload();
    expect(ws.problems.map((p) => p.file)).toEqual([file]);
    await writeFile(join(dir, 'instances.json'), '{ broken');
    await writeFile(file, good);
    await ws.reload();
    expect(ws.problems.map((p) => p.file)).toEqual([join(dir, 'instances.json')]);
    expect(ws.templates.list()).toEqual([NAMING]);
  });

  it('says which template it could not find to render', async () => {
    const ws = await openWorkspace(dir);
    expect(ws.templates.render('nope', {})).toEqual({
      ok: false,
      errors: [{ form: null, field: 'template', variable: null, message: 'No template named "nope".' }],
    });
  });

  it('passes on a templates path it cannot list instead of showing no templates', async () => {
    await writeFile(join(dir, 'templates'), 'not a folder');
    await expect(openWorkspace(dir)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
