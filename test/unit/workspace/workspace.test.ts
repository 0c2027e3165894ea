import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, WorkspaceInputError } from '../../../src/main/workspace';
import { FileProblemError } from '../../../src/main/storage/errors';
import { freshSnapshot } from '../engine/snapshot-fixtures';
import { ACME, tempDir, waitingQueueEntry } from './helpers';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const clock = (start = Date.parse('2026-03-01T10:00:00Z')) => {
  let t = start;
  return () => new Date((t += 1000));
};

describe('workspace instances', () => {
  it('starts empty, writes a .gitignore separating machine-local files, and reports no problems', async () => {
    const ws = await openWorkspace(dir);
    expect(ws.instances.list()).toEqual([]);
    expect(ws.problems).toEqual([]);
    const gitignore = await readFile(join(dir, '.gitignore'), 'utf8');
    expect(gitignore).toMatch(/^queue\.json$/m);
    expect(gitignore).toMatch(/^instances\/\*\/\*$/m);
    expect(gitignore).toMatch(/^!instances\/\*\/draft\.json$/m);
    expect(gitignore).not.toMatch(/^instances\.json$/m);
  });

  it('saves an instance with an id from its URL, and it survives a reopen', async () => {
    const ws = await openWorkspace(dir, { now: clock() });
    const saved = await ws.instances.save({ ...ACME, variables: { customer: 'ACME' } });
    expect(saved).toMatchObject({ id: 'acme', url: 'https://acme.service-now.com', status: 'not_checked' });
    const again = await openWorkspace(dir);
    expect(again.instances.get('acme')).toEqual(saved);
    expect(again.instances.get('acme production')?.id).toBe('acme');
    expect(again.problems).toEqual([]);
  });

  it('never writes a secret, even when the caller passes one', async () => {
    const ws = await openWorkspace(dir);
    const withSecret = { ...ACME, password: 'hunter2-secret', clientSecret: 'cs-secret' };
    await ws.instances.save(withSecret);
    const text = await readFile(join(dir, 'instances.json'), 'utf8');
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('cs-secret');
    expect(text).not.toMatch(/password|clientSecret/);
  });

  it('writes stable, pretty-printed files: saving the same thing twice changes no byte', async () => {
    const ws = await openWorkspace(dir, { now: clock() });
    await ws.instances.save(ACME);
    await ws.instances.save({ ...ACME, name: 'Beta', url: 'beta' });
    const first = await readFile(join(dir, 'instances.json'), 'utf8');
    await ws.instances.save({ ...ACME });
    await ws.instances.setStatus('acme', 'provisioned', 'All records match.');
    const second = await readFile(join(dir, 'instances.json'), 'utf8');
    expect(second).toBe(first);
    expect(first).toContain('\n  "data": {\n');
    const parsed = JSON.parse(first) as { data: { instances: Array<Record<string, unknown>> } };
    expect(parsed.data.instances.map((i) => i.id)).toEqual(['acme', 'beta']);
    expect(Object.keys(parsed.data.instances[0]!)).toEqual(Object.keys(parsed.data.instances[0]!).sort());
  });

  it('keeps status out of the shared file and updates updatedAt only on a real change', async () => {
    const ws = await openWorkspace(dir, { now: clock() });
    const first = await ws.instances.save(ACME);
    const status = await ws.instances.setStatus('acme', 'failed', 'Timed out');
    expect(status).toMatchObject({
      status: 'failed',
      statusMessage: 'Timed out',
      updatedAt: first.updatedAt,
    });
    const renamed = await ws.instances.save({ ...ACME, id: 'acme', name: 'ACME prod' });
    expect(renamed.updatedAt > first.updatedAt).toBe(true);
    expect(renamed.createdAt).toBe(first.createdAt);
    const reopened = await openWorkspace(dir);
    expect(reopened.instances.get('acme')).toMatchObject({ status: 'failed', name: 'ACME prod' });
  });

  it('gives a second instance on another URL with the same slug its own id', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    const other = await ws.instances.save({ ...ACME, name: 'ACME other', url: 'https://acme.example.com' });
    const clash = await ws.instances.save({ ...ACME, name: 'Bare host', url: 'https://acme/' });
    expect(other.id).toBe('acme-example-com');
    expect(clash).toMatchObject({ id: 'acme-2', url: 'https://acme' });
    expect(ws.instances.get('acme')?.name).toBe('ACME production');
  });

  it('refuses invalid input with a message naming the field', async () => {
    const ws = await openWorkspace(dir);
    await expect(ws.instances.save({ ...ACME, url: 'not a url at all' })).rejects.toThrow(
      /not an instance URL/,
    );
    await expect(ws.instances.save({ ...ACME, name: '  ' })).rejects.toThrow(/name/);
    expect(ws.instances.list()).toEqual([]);
  });

  it('names every invalid field by its path, in one message and as a list the app shows per field', async () => {
    const ws = await openWorkspace(dir);
    const error = await ws.instances
      .save({ ...ACME, name: '  ', tags: ['prod', ' '] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkspaceInputError);
    const { issues, message, name } = error as WorkspaceInputError;
    expect(name).toBe('WorkspaceInputError');
    expect(issues).toHaveLength(2);
    expect(issues[0]).toBe('name: name is required');
    expect(issues[1]).toMatch(/^tags\.1: ./);
    expect(message).toBe(`Instance "  " is not valid: ${issues[0]}; ${issues[1]}`);
    // A value that is not an object at all is named by what it was meant to be.
    const root = await ws.templates.save(null as never).catch((e: unknown) => e);
    expect((root as WorkspaceInputError).issues).toEqual([expect.stringMatching(/^Template "undefined": ./)]);
    // A refusal that is not about a field lists none.
    const url = await ws.instances.save({ ...ACME, url: 'ftp://x' }).catch((e: unknown) => e);
    expect(url).toBeInstanceOf(WorkspaceInputError);
    expect((url as WorkspaceInputError).issues).toEqual([]);
  });

  it('removes an instance', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    expect(await ws.instances.remove('acme')).toBe(true);
    expect(await ws.instances.remove('acme')).toBe(false);
    expect((await openWorkspace(dir)).instances.list()).toEqual([]);
  });
});

describe('per-instance files', () => {
  it('stores drafts as typed, even incomplete or invalid', async () => {
    const ws = await openWorkspace(dir, { now: clock() });
    await ws.instances.save(ACME);
    const draft = await ws.drafts.save('acme', { main: { name: '', useMid: true }, clientCred: {} });
    expect(await ws.drafts.get('acme')).toEqual(draft);
    const same = await ws.drafts.save('acme', { main: { name: '', useMid: true }, clientCred: {} });
    expect(same.updatedAt).toBe(draft.updatedAt);
    expect(await ws.drafts.get('nobody')).toBeNull();
    await expect(ws.drafts.save('../escape', { main: {}, clientCred: {} })).rejects.toThrow();
  });

  it('lays files out under instances/<id>/', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.drafts.save('acme', { main: { name: 'X' }, clientCred: {} });
    expect(await readdir(join(dir, 'instances', 'acme'))).toContain('draft.json');
    expect(ws.instanceDir('acme')).toBe(join(dir, 'instances', 'acme'));
  });
});

describe('bad files are left in place, reported, and never written over', () => {
  async function writeInstances(content: string) {
    await writeFile(join(dir, 'instances.json'), content);
  }
  async function expectLeftInPlace(reason: string, message: RegExp) {
    const file = join(dir, 'instances.json');
    const before = await readFile(file, 'utf8');
    const ws = await openWorkspace(dir);
    expect(ws.problems).toHaveLength(1);
    const [problem] = ws.problems;
    expect(problem).toMatchObject({ file, reason, movedTo: null });
    expect(problem!.message).toMatch(/^instances\.json /);
    expect(problem!.message).toMatch(message);
    // Never shown as an empty list: listing names the file and the problem.
    const listed = (() => {
      try {
        return ws.instances.list();
      } catch (error) {
        return error;
      }
    })();
    expect(listed).toBeInstanceOf(FileProblemError);
    expect((listed as Error).message).toContain(problem!.message);
    expect((listed as Error).message).toContain(`left ${file} as it is`);
    expect(() => ws.instances.get('acme')).toThrow(FileProblemError);
    // A change is refused rather than replacing a file this version cannot read.
    await expect(ws.instances.save({ ...ACME, url: 'https://other.service-now.com' })).rejects.toThrow(
      FileProblemError,
    );
    await expect(ws.instances.remove('acme')).rejects.toThrow(`left ${file} as it is`);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect((await readdir(dir)).filter((f) => f.endsWith('.bad'))).toEqual([]);
  }

  it('a truncated file', async () => {
    await writeInstances('{"kind":"spokesmith.instances","version":2,"data":{"instan');
    await expectLeftInPlace('corrupt', /not valid JSON/);
  });
  it('a file of an unknown (older, unsupported) version', async () => {
    await writeInstances(
      JSON.stringify({ kind: 'spokesmith.instances', version: 0, data: { instances: [] } }),
    );
    await expectLeftInPlace('unknown_version', /version 0/);
  });
  it('a file from a newer Spokesmith', async () => {
    await writeInstances(
      JSON.stringify({ kind: 'spokesmith.instances', version: 3, data: { instances: [] } }),
    );
    await expectLeftInPlace('unknown_version', /newer Spokesmith/);
  });
  it('hand-edited invalid values, naming the entry and field', async () => {
    await writeInstances(
      JSON.stringify({
        kind: 'spokesmith.instances',
        version: 2,
        data: {
          instances: [
            {
              id: 'acme',
              name: 'ACME',
              url: 'https://acme.service-now.com',
              authMethod: 'kerberos',
              username: 'admin',
              isDemo: false,
              createdAt: '2026-01-01T00:00:00.000Z',
              updatedAt: '2026-01-01T00:00:00.000Z',
            },
          ],
        },
      }),
    );
    await expectLeftInPlace('invalid', /instances\.0\.authMethod/);
  });
  it('a hand-added password column', async () => {
    await writeInstances(
      JSON.stringify({
        kind: 'spokesmith.instances',
        version: 2,
        data: {
          instances: [
            {
              id: 'acme',
              name: 'ACME',
              url: 'https://acme.service-now.com',
              authMethod: 'basic',
              username: 'admin',
              password: 'x',
              isDemo: false,
              createdAt: '2026-01-01T00:00:00.000Z',
              updatedAt: '2026-01-01T00:00:00.000Z',
            },
          ],
        },
      }),
    );
    await expectLeftInPlace('invalid', /password/);
  });
  it('a corrupt per-instance file is reported when read, and by check()', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await mkdir(join(dir, 'instances', 'acme'), { recursive: true });
    await writeFile(join(dir, 'instances', 'acme', 'snapshot.json'), '{"kind":"spokesmith.snapshot","vers');
    await writeFile(join(dir, 'instances', 'acme', 'plan.json'), '[]');
    const problems = await ws.check();
    expect(problems.map((p) => p.file).sort()).toEqual([
      join(dir, 'instances', 'acme', 'plan.json'),
      join(dir, 'instances', 'acme', 'snapshot.json'),
    ]);
    expect(await ws.snapshots.latest('acme')).toBeNull();
    // Reading it is enough to report it (the app lists ws.problems); a file that is simply absent is not.
    ws.problems.splice(0);
    expect(await ws.plans.latest('acme')).toBeNull();
    expect(await ws.drafts.get('acme')).toBeNull();
    expect(ws.problems.map((p) => p.file)).toEqual([join(dir, 'instances', 'acme', 'plan.json')]);
    // Still there, still reported, and a new discovery does not replace it.
    expect((await ws.check()).map((p) => p.file)).toHaveLength(2);
    const snapshotFile = join(dir, 'instances', 'acme', 'snapshot.json');
    await expect(
      ws.snapshots.save('acme', { discoveredAt: '2026-03-01T10:00:00.000Z' } as never),
    ).rejects.toThrow(`left ${snapshotFile} as it is`);
    expect(await readFile(snapshotFile, 'utf8')).toBe('{"kind":"spokesmith.snapshot","vers');
  });

  it('reads the list again once the file is fixed', async () => {
    await writeInstances('{ broken');
    const ws = await openWorkspace(dir);
    expect(() => ws.instances.list()).toThrow(FileProblemError);
    await writeInstances(
      JSON.stringify({ kind: 'spokesmith.instances', version: 2, data: { instances: [] } }),
    );
    await ws.reload();
    expect(ws.instances.list()).toEqual([]);
    expect(ws.problems).toEqual([]);
  });
});

describe('migration of instances.json v1 → v2', () => {
  it('turns host into url, moves status out, rewrites as v2 and keeps the v1 file as a backup', async () => {
    const v1 = {
      kind: 'spokesmith.instances',
      version: 1,
      data: {
        instances: [
          {
            id: 'acme',
            name: 'ACME',
            host: 'acme.service-now.com',
            authMethod: 'basic',
            username: 'admin',
            status: 'provisioned',
            createdAt: '2025-01-01T00:00:00.000Z',
            updatedAt: '2025-01-01T00:00:00.000Z',
          },
          {
            id: 'lab',
            name: 'Lab',
            host: '127.0.0.1:8080',
            authMethod: 'oauth',
            username: 'svc',
            clientId: 'abc',
            isDemo: true,
            createdAt: '2025-01-01T00:00:00.000Z',
            updatedAt: '2025-01-01T00:00:00.000Z',
          },
        ],
      },
    };
    await writeFile(join(dir, 'instances.json'), JSON.stringify(v1));
    const ws = await openWorkspace(dir);
    expect(ws.problems).toEqual([]);
    expect(ws.instances.get('acme')).toMatchObject({ url: 'https://acme.service-now.com', isDemo: false });
    expect(ws.instances.get('lab')).toMatchObject({
      url: 'http://127.0.0.1:8080',
      clientId: 'abc',
      isDemo: true,
    });
    const stored = JSON.parse(await readFile(join(dir, 'instances.json'), 'utf8')) as {
      version: number;
      data: { instances: Array<Record<string, unknown>> };
    };
    expect(stored.version).toBe(2);
    expect(stored.data.instances[0]).not.toHaveProperty('host');
    expect(stored.data.instances[0]).not.toHaveProperty('status');
    expect(JSON.parse(await readFile(join(dir, 'instances.json.v1.bak'), 'utf8'))).toEqual(v1);
  });

  it('a v1 file whose host cannot become a URL is reported, not half-loaded', async () => {
    await writeFile(
      join(dir, 'instances.json'),
      JSON.stringify({
        kind: 'spokesmith.instances',
        version: 1,
        data: {
          instances: [
            {
              id: 'x',
              name: 'X',
              host: 'ftp://x',
              authMethod: 'basic',
              username: 'a',
              createdAt: '2025-01-01T00:00:00Z',
              updatedAt: '2025-01-01T00:00:00Z',
            },
          ],
        },
      }),
    );
    const ws = await openWorkspace(dir);
    expect(ws.problems[0]?.message).toMatch(/instances\.0\.url/);
  });
});

describe('drafts keep the Entra app as typed', () => {
  it('stores it, keeps it when a caller does not mention it, and removes it when told to', async () => {
    const ws = await openWorkspace(dir, { now: clock() });
    await ws.instances.save(ACME);
    const entra = { tenant: 'contoso.onmicrosoft.com', clientId: '' };
    await ws.drafts.save('acme', { main: { name: 'X' }, clientCred: {}, entra });
    expect((await ws.drafts.get('acme'))?.entra).toEqual(entra);
    // A template being applied knows only the two forms: what was typed for Entra stays.
    await ws.drafts.save('acme', { main: { name: 'Y' }, clientCred: {} });
    expect(await ws.drafts.get('acme')).toMatchObject({ main: { name: 'Y' }, entra });
    await ws.drafts.save('acme', { main: { name: 'Y' }, clientCred: {}, entra: null });
    expect(await ws.drafts.get('acme')).not.toHaveProperty('entra');
  });
});

describe('discovery and the instance list', () => {
  it("a saved snapshot records when the instance was last discovered, in this machine's state only", async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    expect(ws.instances.get('acme')?.lastDiscoveredAt).toBeNull();
    const snapshot = { ...freshSnapshot(), discoveredAt: '2026-03-01T10:05:00.000Z' };
    await ws.snapshots.save('acme', snapshot);
    expect(ws.instances.get('acme')?.lastDiscoveredAt).toBe('2026-03-01T10:05:00.000Z');
    expect((await openWorkspace(dir)).instances.get('acme')?.lastDiscoveredAt).toBe(snapshot.discoveredAt);
    expect(await readFile(join(dir, 'instances.json'), 'utf8')).not.toContain('lastDiscoveredAt');
  });

  it('keeps the snapshot of an instance no longer in the list (removed while it was discovered)', async () => {
    const ws = await openWorkspace(dir);
    await ws.snapshots.save('gone', freshSnapshot());
    expect(await ws.snapshots.latest('gone')).toEqual(freshSnapshot());
    expect(ws.instances.list()).toEqual([]);
  });

  it('names an instance that is not in the list', async () => {
    const ws = await openWorkspace(dir);
    await expect(ws.instances.setStatus('nobody', 'failed')).rejects.toThrow(
      'No instance "nobody" in this workspace.',
    );
    await expect(ws.instances.markDiscovered('nobody', '2026-03-01T10:00:00.000Z')).rejects.toThrow(
      'No instance "nobody"',
    );
  });

  it('removing from a workspace that has no list yet removes nothing and writes nothing', async () => {
    const ws = await openWorkspace(dir);
    expect(await ws.instances.remove('acme')).toBe(false);
    expect(await readdir(dir)).not.toContain('instances.json');
  });

  it("removing an instance keeps the other instances' machine-local state", async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.instances.save({ ...ACME, name: 'Globex', url: 'https://globex.service-now.com' });
    await ws.instances.setStatus('acme', 'failed', 'boom');
    await ws.instances.setStatus('globex', 'drift', 'two fields differ');
    await ws.instances.remove('acme');
    const reopened = await openWorkspace(dir);
    expect(reopened.problems).toEqual([]);
    expect(reopened.instances.get('globex')).toMatchObject({
      status: 'drift',
      statusMessage: 'two fields differ',
    });
  });

  it('numbers further instances whose URLs give the same id, within the id length limit', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.instances.save({ ...ACME, name: 'Bare host', url: 'https://acme/' });
    expect(
      (await ws.instances.save({ ...ACME, name: 'Dash', url: 'https://acme-.service-now.com' })).id,
    ).toBe('acme-3');
    const label = 'a'.repeat(63);
    expect(
      (await ws.instances.save({ ...ACME, name: 'Long', url: `https://${label}.service-now.com` })).id,
    ).toBe(label);
    expect((await ws.instances.save({ ...ACME, name: 'Long bare', url: `https://${label}` })).id).toBe(
      `${'a'.repeat(60)}-2`,
    );
  });

  it('removing an instance forgets its machine-local state too', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.instances.setStatus('acme', 'failed', 'boom');
    expect(await ws.instances.remove('acme')).toBe(true);
    await ws.instances.save(ACME);
    expect(ws.instances.get('acme')).toMatchObject({ status: 'not_checked', statusMessage: null });
  });
});

describe('the offline queue file', () => {
  it('write replaces the stored queue, which another process then reads', async () => {
    const ws = await openWorkspace(dir);
    const entries = [waitingQueueEntry('q2'), waitingQueueEntry('q1')];
    await ws.queue.write(entries);
    expect(ws.queue.read()).toEqual(entries);
    expect((await openWorkspace(dir)).queue.read()).toEqual(entries);
    await ws.queue.write([waitingQueueEntry('q3')]);
    expect((await openWorkspace(dir)).queue.read().map((e) => e.id)).toEqual(['q3']);
  });
});

describe('check()', () => {
  it('finds nothing wrong in a workspace that has no instance folders yet', async () => {
    const ws = await openWorkspace(dir);
    expect(await ws.check()).toEqual([]);
  });

  it('passes on an instances path it cannot list instead of calling the workspace sound', async () => {
    const ws = await openWorkspace(dir);
    await writeFile(join(dir, 'instances'), 'not a folder');
    await expect(ws.check()).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe("this machine's instance state (local-state.json)", () => {
  it('a broken state file is reported and left as it is, and the instances read as not checked', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.instances.setStatus('acme', 'failed', 'boom');
    const file = join(dir, 'local-state.json');
    await writeFile(file, '{ "kind": "spokesmith.local-state", ');
    const reopened = await openWorkspace(dir);
    expect(reopened.problems.map((p) => [p.file, p.reason])).toEqual([[file, 'corrupt']]);
    expect(reopened.instances.get('acme')).toMatchObject({ status: 'not_checked', statusMessage: null });
    expect(await readFile(file, 'utf8')).toBe('{ "kind": "spokesmith.local-state", ');
  });

  it('keeps each new status, and does not rewrite the file for the same one', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await ws.instances.setStatus('acme', 'failed', 'boom');
    await ws.instances.setStatus('acme', 'provisioned');
    expect((await openWorkspace(dir)).instances.get('acme')).toMatchObject({
      status: 'provisioned',
      statusMessage: null,
    });
    // An atomic write replaces the file (a new inode), and wakes every other process watching it.
    const before = await stat(join(dir, 'local-state.json'));
    await ws.instances.setStatus('acme', 'provisioned');
    expect((await stat(join(dir, 'local-state.json'))).ino).toBe(before.ino);
  });

  it('refuses a status change while the instance list cannot be read, naming the file', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    await writeFile(join(dir, 'instances.json'), '{ broken');
    await ws.reload();
    await expect(ws.instances.setStatus('acme', 'failed')).rejects.toThrow(FileProblemError);
    await expect(ws.instances.setStatus('acme', 'failed')).rejects.toThrow(join(dir, 'instances.json'));
  });
});

describe('finding instances', () => {
  it('lists them by name, whatever order they were saved in', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save({ ...ACME, name: 'Zeta', url: 'https://a1.service-now.com' });
    await ws.instances.save({ ...ACME, name: 'alpha', url: 'https://z9.service-now.com' });
    await ws.instances.save({ ...ACME, name: 'Mid', url: 'https://m5.service-now.com' });
    expect(ws.instances.list().map((i) => i.name)).toEqual(['alpha', 'Mid', 'Zeta']);
    // The shared file is ordered by id instead, so it diffs cleanly in git whatever the names.
    const stored = JSON.parse(await readFile(join(dir, 'instances.json'), 'utf8')) as {
      data: { instances: { id: string }[] };
    };
    expect(stored.data.instances.map((i) => i.id)).toEqual(['a1', 'm5', 'z9']);
  });

  it('an edit that names the id keeps it, even when the URL changes, and keeps the demo flag', async () => {
    const ws = await openWorkspace(dir);
    expect(await ws.instances.save({ ...ACME, isDemo: true })).toMatchObject({ id: 'acme', isDemo: true });
    const moved = await ws.instances.save({ ...ACME, id: 'acme', url: 'https://acme-new.service-now.com' });
    expect(moved).toMatchObject({ id: 'acme', url: 'https://acme-new.service-now.com', isDemo: true });
    expect(ws.instances.list().map((i) => i.id)).toEqual(['acme']);
    await expect(ws.instances.save({ ...ACME, id: '../acme' })).rejects.toThrow();
    expect(ws.instances.list().map((i) => i.id)).toEqual(['acme']);
  });

  it('by id, then by exact name, then by name in any case', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save({ ...ACME, name: 'Acme', url: 'https://a1.service-now.com' });
    await ws.instances.save({ ...ACME, name: 'ACME', url: 'https://b2.service-now.com' });
    expect(ws.instances.get('b2')?.name).toBe('ACME');
    expect(ws.instances.get('ACME')?.id).toBe('b2');
    expect(ws.instances.get('Acme')?.id).toBe('a1');
    expect(ws.instances.get('acme')?.id).toBe('a1');
    expect(ws.instances.get('nobody')).toBeUndefined();
  });
});

describe('drafts hold the forms as the window left them', () => {
  it('drops fields the window left undefined, and refuses a form that is not an object', async () => {
    const ws = await openWorkspace(dir);
    await ws.instances.save(ACME);
    const draft = await ws.drafts.save('acme', {
      main: { name: 'X', domain: undefined },
      clientCred: { name: undefined },
    });
    expect(draft).toMatchObject({ main: { name: 'X' }, clientCred: {} });
    expect(draft.main).not.toHaveProperty('domain');
    const refused = await ws.drafts.save('acme', { main: 'name=X', clientCred: {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkspaceInputError);
    expect((refused as Error).message).toMatch(/^Draft is not valid: main: ./);
    expect(await ws.drafts.get('acme')).toEqual(draft);
  });
});

describe('the queue file and check()', () => {
  it('reports a broken queue.json, reads it as empty, and forgets the problem once it is fixed', async () => {
    const ws = await openWorkspace(dir);
    await ws.queue.write([waitingQueueEntry('q1')]);
    const file = join(dir, 'queue.json');
    const good = await readFile(file, 'utf8');
    await writeFile(file, '{ "kind": "spokesmith.queue"');
    await ws.reload();
    expect(ws.problems.map((p) => p.file)).toEqual([file]);
    expect(ws.queue.read()).toEqual([]);
    expect((await ws.check()).map((p) => p.file)).toEqual([file]);
    await writeFile(file, good);
    await ws.reload();
    expect(ws.problems).toEqual([]);
    expect(ws.queue.read().map((e) => e.id)).toEqual(['q1']);
  });

  it('checks the files of every instance folder, and only of folders an instance id could name', async () => {
    const ws = await openWorkspace(dir);
    for (const folder of ['acme', 'Not_An_Id', 'acme_old'])
      await mkdir(join(dir, 'instances', folder), { recursive: true });
    for (const folder of ['acme', 'Not_An_Id', 'acme_old'])
      await writeFile(join(dir, 'instances', folder, 'draft.json'), '{ broken');
    await writeFile(join(dir, 'instances', 'stray-file'), 'x');
    const problems = await ws.check();
    expect(problems.map((p) => p.file)).toEqual([join(dir, 'instances', 'acme', 'draft.json')]);
    expect(ws.problems.map((p) => p.file)).toEqual([join(dir, 'instances', 'acme', 'draft.json')]);
  });

  it('keeps a .gitignore the team edited', async () => {
    await openWorkspace(dir);
    await writeFile(join(dir, '.gitignore'), '# ours\n');
    await openWorkspace(dir);
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('# ours\n');
  });
});
