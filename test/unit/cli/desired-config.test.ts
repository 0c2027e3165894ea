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
    // Each field's problem says where it is in the file: the entry's index, then the field.
    expect(text).toContain('connections[1].name (Microsoft_Exchange_Online): Name may contain only');
    expect(text).toContain('connections[1].urlBuilder (Microsoft_Exchange_Online)');
    expect(text).toContain('connections[1].connectionUrl (Microsoft_Exchange_Online)');
    expect(text).toContain('connections[1].midSelection (Microsoft_Exchange_Online)');
    expect(failure.lines.length).toBeGreaterThanOrEqual(5);
  });

  it.each([
    [
      '{}',
      'connections: required: the list of forms to change, e.g. [{ "alias": "Microsoft_Exchange_Online"',
    ],
    ['[]', 'top level: The file must hold one JSON object, { "version": 1, "connections": ['],
    ['{"connections": {"alias": "x"}}', 'connections: must be a list of forms such as [{ "alias"'],
    ['{"connections": ["Exchange"]}', 'connections[0]: must be a form (an object) such as { "alias"'],
    ['{"connections": [], "conections": []}', 'top level: Unknown key "conections"'],
  ])('a file %s says where the problem is and what is expected', async (text, expected) => {
    await writeFile(join(dir, 'shape.json'), text);
    const error = (await loadDesiredState('shape.json', dir).catch((e: unknown) => e)) as CliFailure;
    expect(error).toBeInstanceOf(CliFailure);
    expect(error.exitCode).toBe(2);
    expect(error.lines[0]).toContain(`  - ${expected}`);
    expect(error.lines.at(-1)).toContain('`spokesmith schema`');
  });

  it('says so when the file is not JSON or missing', async () => {
    await writeFile(join(dir, 'x.json'), '{ nope');
    await expect(loadDesiredState('x.json', dir)).rejects.toThrow(/not valid JSON/);
    await expect(loadDesiredState('missing.json', dir)).rejects.toThrow(/does not exist/);
  });
});
