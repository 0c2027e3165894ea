import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/main/cli/desired-config';
import { CliFailure } from '../../../src/main/cli/exit-codes';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spokesmith-cli-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('--config', () => {
  it('uses the documented defaults without a file', async () => {
    const { desired } = await loadDesiredState(undefined, dir);
    expect(desired.main.name).toBe('Exchange_Online_Connection');
    expect(desired.clientCred.connectionUrl).toBe('https://graph.microsoft.com');
  });

  it('overrides the defaults from the file', async () => {
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify({ version: 1, connections: [{ alias: 'Microsoft_Exchange_Online', name: 'My_Conn' }] }),
    );
    const { desired } = await loadDesiredState('c.json', dir);
    expect(desired.main.name).toBe('My_Conn');
  });

  it('lists every problem at once, each with its field, exit 2', async () => {
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({
        version: 1,
        connections: [
          { alias: 'Nope' },
          {
            alias: 'Microsoft_Exchange_Online',
            name: 'bad<name>',
            urlBuilder: true,
            connectionUrl: 'http://graph.microsoft.com',
            useMid: true,
          },
        ],
      }),
    );
    const error = await loadDesiredState('bad.json', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliFailure);
    const failure = error as CliFailure;
    expect(failure.exitCode).toBe(2);
    const text = failure.lines.join('\n');
    expect(text).toContain('connections[0].alias');
    expect(text).toContain('Microsoft_Exchange_Online.name');
    expect(text).toContain('Microsoft_Exchange_Online.urlBuilder');
    expect(text).toContain('Microsoft_Exchange_Online.connectionUrl');
    expect(text).toContain('Microsoft_Exchange_Online.midSelection');
    expect(failure.lines.length).toBeGreaterThanOrEqual(5);
  });

  it('says so when the file is not JSON or missing', async () => {
    await writeFile(join(dir, 'x.json'), '{ nope');
    await expect(loadDesiredState('x.json', dir)).rejects.toThrow(/not valid JSON/);
    await expect(loadDesiredState('missing.json', dir)).rejects.toThrow(/does not exist/);
  });
});
