// Import and export through files: the format a caller names wins over the file's extension, a row
// without an id updates the instance with its URL, and a row the workspace refuses is reported, not lost.
import { readFile, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/workspace';
import {
  exportInstancesFile,
  exportTemplatesFile,
  importInstancesFile,
} from '../../../src/main/workspace/transfer';
import { ACME, tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const CSV = 'name,url,username\nGlobex,https://globex.service-now.com,svc\n';

describe('instance list files', () => {
  it('reads and writes the format the caller names, whatever the extension', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    const file = join(dir, 'list.txt');
    await writeFile(file, CSV);
    const report = await importInstancesFile(ws, file, { format: 'csv' });
    expect(report).toMatchObject({ added: ['globex'], errors: [], refused: null });
    const out = join(dir, 'export.json');
    expect(await exportInstancesFile(ws, out, 'csv')).toBe(1);
    expect((await readFile(out, 'utf8')).split(/\r?\n/)[0]).toMatch(/^id,name,url,/);
  });

  it('a row without an id updates the instance that has its URL, instead of adding a second', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    await ws.instances.save({ ...ACME, id: 'acme-prod' });
    await ws.instances.save({ ...ACME, name: 'Other', url: 'https://other.service-now.com' });
    const file = join(dir, 'list.csv');
    await writeFile(file, `name,url,username\nACME renamed,${ACME.url},${ACME.username}\n`);
    const report = await importInstancesFile(ws, file);
    expect(report).toMatchObject({ added: [], updated: ['acme-prod'], unchanged: [], errors: [] });
    expect(ws.instances.list().map((i) => [i.id, i.name])).toEqual([
      ['acme-prod', 'ACME renamed'],
      ['other', 'Other'],
    ]);
    const again = await importInstancesFile(ws, file);
    expect(again).toMatchObject({ added: [], updated: [], unchanged: ['acme-prod'] });
  });

  it('reports each row the workspace refuses to save, with its row number and the reason', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'spokesmith-outside-'));
    try {
      // A workspace from git whose instances.json links outside: readable, but never written through.
      const ws = await openWorkspace(join(dir, 'ws'));
      await ws.instances.save(ACME);
      await writeFile(join(outside, 'instances.json'), await readFile(join(dir, 'ws', 'instances.json')));
      await rm(join(dir, 'ws', 'instances.json'));
      await symlink(join(outside, 'instances.json'), join(dir, 'ws', 'instances.json'));
      await ws.reload();
      const file = join(dir, 'list.csv');
      await writeFile(file, CSV);
      const report = await importInstancesFile(ws, file);
      expect(report.added).toEqual([]);
      expect(report.errors).toEqual([
        { row: 2, field: '(row)', message: expect.stringContaining('is a symbolic link') as string },
      ]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('chooses CSV by the extension, in any case, when no format is named', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    await ws.instances.save(ACME);
    const out = join(dir, 'LIST.CSV');
    expect(await exportInstancesFile(ws, out)).toBe(1);
    expect((await readFile(out, 'utf8')).split(/\r?\n/)[0]).toMatch(/^id,name,url,/);
  });

  it('a dry run reports the rows and saves none of them', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    const file = join(dir, 'list.csv');
    await writeFile(file, CSV);
    const report = await importInstancesFile(ws, file, { dryRun: true });
    expect(report).toEqual({ added: [], updated: [], unchanged: [], errors: [], refused: null });
    expect(ws.instances.list()).toEqual([]);
    expect((await openWorkspace(join(dir, 'ws'))).instances.list()).toEqual([]);
  });

  it('a row with a new id is added under that id, not one made from its URL', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    const file = join(dir, 'list.csv');
    await writeFile(file, `id,name,url,username\nacme-eu,ACME EU,${ACME.url},admin\n`);
    const report = await importInstancesFile(ws, file);
    expect(report.added).toEqual(['acme-eu']);
    expect(ws.instances.list().map((i) => i.id)).toEqual(['acme-eu']);
  });

  it('leaves demo instances out of an export', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    await ws.instances.save(ACME);
    await ws.instances.save({ ...ACME, name: 'Demo', url: 'http://127.0.0.1:8080', isDemo: true });
    const out = join(dir, 'list.json');
    expect(await exportInstancesFile(ws, out)).toBe(1);
    const text = await readFile(out, 'utf8');
    expect(text).toContain(ACME.url);
    expect(text).not.toContain('127.0.0.1');
  });
});

describe('template files', () => {
  it('exports only the templates named, or all of them', async () => {
    const ws = await openWorkspace(join(dir, 'ws'));
    const template = (name: string) => ({ name, variables: [], main: {}, clientCred: {} });
    await ws.templates.save(template('acme'));
    await ws.templates.save(template('globex'));
    const some = join(dir, 'some.json');
    expect(await exportTemplatesFile(ws, some, ['globex'])).toBe(1);
    expect(await readFile(some, 'utf8')).not.toContain('"acme"');
    expect(await readFile(some, 'utf8')).toContain('"globex"');
    expect(await exportTemplatesFile(ws, join(dir, 'all.json'))).toBe(2);
  });
});
