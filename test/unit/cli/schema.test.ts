// The published JSON Schema of the --config file is the one generated from the zod schema that validates
// it, and `spokesmith schema` prints exactly that.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/main/cli/index';
import { configFileJsonSchema } from '../../../src/shared/domain/config-json-schema';
import { desiredStateFromConfig } from '../../../src/shared/domain/desired-state';
import { testIo } from './helpers';

const FILE = resolve('resources/schema/desired-state.schema.json');

describe('the config file schema', () => {
  it('resources/schema/desired-state.schema.json is the generated schema (regenerate: spokesmith schema)', async () => {
    expect(JSON.parse(await readFile(FILE, 'utf8'))).toEqual(configFileJsonSchema());
  });

  it('spokesmith schema prints it, exit 0', async () => {
    const io = testIo();
    expect(await main(['schema'], io)).toBe(0);
    expect(JSON.parse(io.stdout.text())).toEqual(configFileJsonSchema());
  });

  it('describes what the CLI accepts: the alias names, every form field, nothing else', () => {
    const schema = configFileJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: {
        connections: { items: { properties: Record<string, { enum?: string[] }>; required: string[] } };
      };
    };
    expect(schema.required).toEqual(['connections']);
    expect(schema.additionalProperties).toBe(false);
    const form = schema.properties.connections.items;
    expect(form.required).toEqual(['alias']);
    expect(form.properties.alias?.enum).toEqual([
      'Microsoft_Exchange_Online',
      'Microsoft_Exchange_Online_clientCred',
    ]);
    // Every field the schema names is one the validator accepts (a form with all of them validates).
    const example = {
      version: 1,
      connections: [
        {
          alias: 'Microsoft_Exchange_Online_clientCred',
          name: 'ACME_Exchange_Online_Connection_clientCred',
          credential: 'ACME_Exchange_Online_Credentials_clientCred',
          urlBuilder: false,
          connectionUrl: 'https://graph.microsoft.com',
          useMid: true,
          midSelection: 'server',
          midServer: 'mid-01',
          midCluster: '',
          midCapabilities: ['ALL'],
          active: true,
          domain: 'global',
          grant: 'client_credentials',
        },
      ],
    };
    expect(Object.keys(form.properties).sort()).toEqual(Object.keys(example.connections[0]!).sort());
    expect(desiredStateFromConfig(example).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
