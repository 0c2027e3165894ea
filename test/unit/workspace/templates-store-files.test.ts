// Templates are one file each in templates/: which files count as templates, what an unusable one does
// (reported, left in place, never deleted), when a save rewrites the file, and how a removal stays inside
// the workspace.
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, WorkspaceInputError } from '../../../src/main/workspace';
import { FileProblemError } from '../../../src/main/storage/errors';
import { UnsafePathError } from '../../../src/main/storage/safe-path';
import type { Template } from '../../../src/shared/workspace/schemas';
import { tempDir } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const template = (name: string, customer = 'ACME'): Template => ({
  name,
  variables: [],
  main: { name: `${customer}_Exchange_Online_Connection` },
  clientCred: {},
});
const templateFile = (name: string) => join(dir, 'templates', `${name}.json`);
const envelope = (data: unknown) => JSON.stringify({ kind: 'spokesmith.template', version: 1, data });

describe('which files in templates/ are templates', () => {
  it('reports a file holding another template’s name, and does not list it', async () => {
    await mkdir(join(dir, 'templates'), { recursive: true });
    await writeFile(templateFile('acme'), envelope(template('globex')));
    const ws = await openWorkspace(dir);
    expect(ws.templates.list()).toEqual([]);
    expect(ws.templates.get('acme')).toBeUndefined();
    expect(ws.problems).toEqual([
      {
        file: templateFile('acme'),
        reason: 'invalid',
        message: 'acme.json holds template "globex"; the file name must match the template name.',
        movedTo: null,
      },
    ]);
  });

  it('leaves alone a .json file whose name is no template name, and any file that is not .json', async () => {
    await mkdir(join(dir, 'templates'), { recursive: true });
    await writeFile(join(dir, 'templates', 'read me.json'), '# notes, not a template');
    // "acme.yaml" minus five characters is "acme": read as a template, acme.json's problem would be
    // reported twice.
    await writeFile(templateFile('acme'), '{ torn');
    await writeFile(join(dir, 'templates', 'acme.yaml'), 'notes: kept beside the template');
    await writeFile(templateFile('globex'), envelope(template('globex')));
    const ws = await openWorkspace(dir);
    expect(ws.templates.list().map((t) => t.name)).toEqual(['globex']);
    expect(ws.problems.map((p) => p.file)).toEqual([templateFile('acme')]);
  });

  it('a dangling link (its template deleted elsewhere) is neither a template nor a problem', async () => {
    await mkdir(join(dir, 'templates'), { recursive: true });
    await symlink(join(dir, 'gone.json'), templateFile('gone'));
    const ws = await openWorkspace(dir);
    expect(ws.templates.list()).toEqual([]);
    expect(ws.problems).toEqual([]);
  });

  it('a templates path that is not a folder is an error, not an empty template list', async () => {
    await writeFile(join(dir, 'templates'), 'not a folder');
    await expect(openWorkspace(dir)).rejects.toMatchObject({
      code: 'ENOTDIR',
      message: expect.stringContaining(join(dir, 'templates')),
    });
  });

  it('lists templates by name, however they were saved or named on disk', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(template('zeta'));
    await ws.templates.save(template('alpha'));
    expect(ws.templates.list().map((t) => t.name)).toEqual(['alpha', 'zeta']);
    // On disk "a-b.json" sorts before "a.json"; by name "a" comes first.
    await ws.templates.save(template('a-b'));
    await ws.templates.save(template('a'));
    expect((await openWorkspace(dir)).templates.list().map((t) => t.name)).toEqual([
      'a',
      'a-b',
      'alpha',
      'zeta',
    ]);
  });

  it('a reload no longer reports a template file that was fixed', async () => {
    await mkdir(join(dir, 'templates'), { recursive: true });
    await writeFile(templateFile('acme'), '{ torn');
    const ws = await openWorkspace(dir);
    expect(ws.problems.map((p) => p.file)).toEqual([templateFile('acme')]);
    await writeFile(templateFile('acme'), envelope(template('acme')));
    await ws.reload();
    expect(ws.problems).toEqual([]);
    expect(ws.templates.get('acme')?.name).toBe('acme');
  });

  it('a reload keeps the problems of other files', async () => {
    await writeFile(join(dir, 'queue.json'), '{ torn');
    await mkdir(join(dir, 'templates'), { recursive: true });
    await writeFile(templateFile('acme'), '{ torn');
    const ws = await openWorkspace(dir);
    await writeFile(templateFile('acme'), envelope(template('acme')));
    await ws.reload();
    expect(ws.problems.map((p) => p.file)).toEqual([join(dir, 'queue.json')]);
  });
});

describe('saving a template', () => {
  it('stores a changed template, and an unchanged one rewrites nothing', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(template('acme', 'ACME'));
    await ws.templates.save(template('acme', 'Globex'));
    expect((await openWorkspace(dir)).templates.get('acme')?.main).toEqual({
      name: 'Globex_Exchange_Online_Connection',
    });
    const before = await stat(templateFile('acme'));
    await ws.templates.save(template('acme', 'Globex'));
    expect((await stat(templateFile('acme'))).ino).toBe(before.ino);
  });

  it('refuses something that is not a template with a WorkspaceInputError naming it', async () => {
    const ws = await openWorkspace(dir);
    const missing = await ws.templates.save(null as never).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(WorkspaceInputError);
    expect((missing as Error).message).toMatch(/^Template "undefined" is not valid: /);
    const bad = await ws.templates
      .save({ ...template('acme'), variables: 'customer' } as never)
      .catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(/^Template "acme" is not valid: variables: /);
  });
});

describe('removing a template', () => {
  it('deletes its file and forgets it', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(template('acme'));
    expect(await ws.templates.remove('acme')).toBe(true);
    expect(await readdir(join(dir, 'templates'))).toEqual([]);
    expect(ws.templates.get('acme')).toBeUndefined();
    expect((await openWorkspace(dir)).templates.list()).toEqual([]);
    expect(await ws.templates.remove('acme')).toBe(false);
  });

  it('never deletes a file this version cannot read (a newer Spokesmith’s template)', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(template('acme'));
    const newer = JSON.stringify({ kind: 'spokesmith.template', version: 99, data: template('acme') });
    await writeFile(templateFile('acme'), newer);
    await expect(ws.templates.remove('acme')).rejects.toThrow(FileProblemError);
    expect(await readFile(templateFile('acme'), 'utf8')).toBe(newer);
  });

  it('never deletes through a linked templates folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'spokesmith-outside-'));
    try {
      await writeFile(join(outside, 'acme.json'), envelope(template('acme')));
      await symlink(outside, join(dir, 'templates'));
      const ws = await openWorkspace(dir);
      await expect(ws.templates.remove('acme')).rejects.toThrow(UnsafePathError);
      expect(await readdir(outside)).toEqual(['acme.json']);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});

describe('rendering', () => {
  it('a template that does not exist is one error naming it', async () => {
    const ws = await openWorkspace(dir);
    expect(ws.templates.render('nope', {})).toEqual({
      ok: false,
      errors: [{ form: null, field: 'template', variable: null, message: 'No template named "nope".' }],
    });
  });
});
