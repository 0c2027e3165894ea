// The demo instance's records survive a restart through the state file; a bad file is moved aside.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/main/simulator';
import { call } from './http';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-sim-state-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('stateFile', () => {
  it('saves after every write and loads it on the next start', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startSimulator({ stateFile, scenario: 'credentials' });
    const created = await call(
      first,
      'POST',
      '/api/now/table/http_connection?sysparm_input_display_value=true',
      {
        body: { name: 'kept', connection_alias: 'Microsoft_Exchange_Online' },
      },
    );
    expect(created.status).toBe(201);
    // The answer came after the save: the file already holds the record.
    const onDisk = JSON.parse(await readFile(stateFile, 'utf8')) as {
      kind: string;
      data: { tables: Record<string, unknown[]> };
    };
    expect(onDisk.kind).toBe('spokesmith.simulator-state');
    expect(JSON.stringify(onDisk.data.tables.http_connection)).toContain('kept');
    await first.close();

    const second = await startSimulator({ stateFile, scenario: 'fresh' });
    try {
      expect(second.scenario).toBe('credentials');
      expect(second.stateFileProblem).toBeNull();
      const r = await call(
        second,
        'GET',
        '/api/now/table/http_connection?sysparm_fields=name,connection_alias.name',
      );
      expect(r.json.result).toEqual([{ name: 'kept', 'connection_alias.name': 'Microsoft_Exchange_Online' }]);
    } finally {
      await second.close();
    }
  });

  it('never writes secrets to the file', async () => {
    const stateFile = join(dir, 'state.json');
    const sim = await startSimulator({ stateFile });
    await call(
      sim,
      'PATCH',
      `/api/now/table/oauth_entity/${sim.db.rows('oauth_entity')[0]?.sys_id}?sysparm_input_display_value=true`,
      {
        body: { client_secret: 'Sup3r-Secret-Value' },
      },
    );
    await sim.close();
    const text = await readFile(stateFile, 'utf8');
    expect(text).not.toContain('Sup3r-Secret-Value');
    const users = (JSON.parse(text) as { data: { tables: { sys_user: { user_password: string }[] } } }).data
      .tables.sys_user;
    expect(users.map((u) => u.user_password)).not.toContain(sim.users.admin.password);
    expect(users.every((u) => u.user_password.startsWith('hash:'))).toBe(true);
  });

  it('moves a bad file aside, reports it and seeds the scenario', async () => {
    const stateFile = join(dir, 'state.json');
    await writeFile(
      stateFile,
      '{"kind":"spokesmith.simulator-state","version":1,"data":{"scenario":"fresh","tables":{"no_such_table":[]}}}',
    );
    const sim = await startSimulator({ stateFile, scenario: 'wcs' });
    try {
      expect(sim.stateFileProblem?.reason).toBe('invalid');
      expect(sim.stateFileProblem?.movedTo).toMatch(/\.bad$/);
      expect(sim.db.rows('http_connection')).toHaveLength(2);
      const files = await readdir(dir);
      expect(files.some((f) => f.endsWith('.bad'))).toBe(true);
    } finally {
      await sim.close();
    }
    // The reseeded state was saved and loads cleanly next time.
    const again = await startSimulator({ stateFile });
    expect(again.stateFileProblem).toBeNull();
    expect(again.scenario).toBe('wcs');
    await again.close();
  });

  it('treats a corrupt file the same way', async () => {
    const stateFile = join(dir, 'state.json');
    await writeFile(stateFile, '{not json');
    const sim = await startSimulator({ stateFile });
    expect(sim.stateFileProblem?.reason).toBe('corrupt');
    expect(sim.db.rows('sys_alias')).toHaveLength(2);
    await sim.close();
  });
});
