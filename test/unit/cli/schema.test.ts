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

describe('the "entra" object of the config file', () => {
  const schema = configFileJsonSchema() as {
    properties: {
      entra: { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    };
  };
  const entra = {
    tenant: 'contoso.onmicrosoft.com',
    clientId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    secretExpires: '2027-06-30',
  };
  const NOW = new Date('2026-12-06T12:00:00Z');

  it('names tenant, clientId and secretExpires, requires the first two, and has no secret field', () => {
    expect(Object.keys(schema.properties.entra.properties).sort()).toEqual(Object.keys(entra).sort());
    expect(schema.properties.entra.required).toEqual(['tenant', 'clientId']);
    expect(schema.properties.entra.additionalProperties).toBe(false);
  });

  it('what the schema describes is what the validator accepts', () => {
    const result = desiredStateFromConfig({ version: 1, connections: [], entra }, NOW);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.desired?.entra).toEqual(entra);
  });

  it('a clientSecret key is refused, and the message never repeats it', () => {
    const result = desiredStateFromConfig(
      { version: 1, connections: [], entra: { ...entra, clientSecret: 'Canary-schema' } },
      NOW,
    );
    expect(result.desired).toBeUndefined();
    expect(result.issues.map((i) => i.field)).toEqual(['entra.clientSecret']);
    expect(JSON.stringify(result.issues)).not.toContain('Canary-schema');
  });

  it('an expiry before the given day is refused; the same day is accepted', () => {
    const past = desiredStateFromConfig(
      { version: 1, connections: [], entra: { ...entra, secretExpires: '2026-12-05' } },
      NOW,
    );
    expect(past.issues.map((i) => i.field)).toEqual(['entra.secretExpires']);
    const today = desiredStateFromConfig(
      { version: 1, connections: [], entra: { ...entra, secretExpires: '2026-12-06' } },
      NOW,
    );
    expect(today.desired?.entra?.secretExpires).toBe('2026-12-06');
  });
});
