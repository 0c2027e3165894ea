// The config file's JSON Schema is the domain's promise to editors and scripts: it names exactly the keys
// the validator (desiredStateFromConfig) takes, requires exactly what the validator requires, refuses the
// keys the validator refuses, and explains each field in the procedure's words.
import { describe, expect, it } from 'vitest';
import { configFileJsonSchema } from '../../../src/shared/domain/config-json-schema';
import { ConnectionFormSchema, desiredStateFromConfig } from '../../../src/shared/domain/desired-state';
import { GRAPH_URL } from '../../../src/shared/servicenow/spoke';

interface Property {
  description?: string;
  enum?: string[];
  format?: string;
  type?: string;
  const?: unknown;
  default?: unknown;
}
interface ObjectSchema extends Property {
  properties: Record<string, Property>;
  required?: string[];
  additionalProperties?: boolean;
}
interface FileSchema extends ObjectSchema {
  title?: string;
  properties: {
    version: Property;
    connections: Property & { items: ObjectSchema };
    entra: ObjectSchema;
  };
}

const NOW = new Date('2026-12-06T12:00:00Z');
// Generated inside each test, not at import: mutation testing counts code run while a test file loads as
// static and leaves it unmeasured (stryker.config.mjs ignoreStatic).
const generated = () => {
  const schema = configFileJsonSchema() as unknown as FileSchema;
  return { schema, form: schema.properties.connections.items, entra: schema.properties.entra };
};
const errors = (raw: unknown) =>
  desiredStateFromConfig(raw, NOW).issues.filter((i) => i.severity === 'error');

describe('the JSON Schema names what the validator takes', () => {
  it('a form has the alias and every field of the connection form, nothing else', () => {
    const { form } = generated();
    expect(Object.keys(form.properties).sort()).toEqual(Object.keys(ConnectionFormSchema.shape).sort());
    // The fields a consultant changes most, by name, so an empty list of fields cannot pass.
    for (const field of ['alias', 'name', 'credential', 'connectionUrl', 'midSelection', 'domain', 'grant'])
      expect(form.properties).toHaveProperty(field);
  });

  it('the alias is one of the two spoke aliases, and its help names the procedure table of each', () => {
    const { form } = generated();
    expect(form.properties.alias?.enum).toEqual([
      'Microsoft_Exchange_Online',
      'Microsoft_Exchange_Online_clientCred',
    ]);
    expect(form.properties.alias?.description).toBe(
      'Which form: Microsoft_Exchange_Online (Table 1) or Microsoft_Exchange_Online_clientCred (Table 2).',
    );
  });

  it('the Entra app has tenant, clientId and secretExpires (a date), never a secret', () => {
    const { entra } = generated();
    expect(Object.keys(entra.properties).sort()).toEqual(['clientId', 'secretExpires', 'tenant']);
    expect(entra.properties.secretExpires?.format).toBe('date');
    expect(entra.properties.tenant?.format).toBeUndefined();
    expect(entra.description).toContain('ENTRA_CLIENT_SECRET');
    expect(entra.description).toContain('keychain');
  });
});

describe('the JSON Schema requires what the validator requires', () => {
  it('only "connections" is required at the top: the validator takes a file without a version', () => {
    const { schema } = generated();
    expect(schema.required).toEqual(['connections']);
    expect(schema.properties.version).toMatchObject({ const: 1, default: 1 });
    expect(errors({ connections: [] })).toEqual([]);
    expect(errors({ version: 1 }).map((i) => i.field)).toEqual(['connections']);
  });

  it('a form requires only its alias (midCapabilities has a default): the validator takes { alias } alone', () => {
    const { form } = generated();
    expect(form.required).toEqual(['alias']);
    expect(form.properties.midCapabilities?.default).toEqual([]);
    expect(errors({ connections: [{ alias: 'Microsoft_Exchange_Online_clientCred' }] })).toEqual([]);
    expect(errors({ connections: [{ name: 'Exchange_Online_Connection' }] }).map((i) => i.field)).toEqual([
      'connections[0].alias',
    ]);
  });

  it('the Entra app requires tenant and clientId, as the validator does', () => {
    const { entra } = generated();
    expect(entra.required).toEqual(['tenant', 'clientId']);
    expect(errors({ connections: [], entra: { secretExpires: '2027-06-30' } }).map((i) => i.field)).toEqual([
      'entra.tenant',
      'entra.clientId',
    ]);
  });
});

describe('the JSON Schema refuses unknown keys where the validator does', () => {
  it('at the top, in a form and in the Entra app', () => {
    const { schema, form, entra } = generated();
    expect(schema.additionalProperties).toBe(false);
    expect(form.additionalProperties).toBe(false);
    expect(entra.additionalProperties).toBe(false);
    expect(errors({ connections: [], colour: 'blue' })).toHaveLength(1);
    expect(errors({ connections: [{ alias: 'Microsoft_Exchange_Online', colour: 'blue' }] })).toHaveLength(1);
    expect(
      errors({
        connections: [],
        entra: {
          tenant: 'contoso.onmicrosoft.com',
          clientId: '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f',
          colour: 'x',
        },
      }).map((i) => i.field),
    ).toEqual(['entra.colour']);
  });
});

describe('the JSON Schema explains itself (what an editor shows on hover)', () => {
  it('has a title naming the --config option', () => {
    const { schema } = generated();
    expect(schema.title).toBe('Spokesmith desired state (--config FILE)');
  });

  it('describes the version, the list of forms and a form', () => {
    const { schema, form } = generated();
    expect(schema.properties.version.description).toBe('Format version: 1.');
    expect(schema.properties.connections.description).toBe(
      'The forms to change, at most one per alias; a form not listed keeps its defaults.',
    );
    expect(form.description).toBe(
      'One connection form: its alias and the fields that differ from the documented defaults.',
    );
  });

  it('describes every field of a form and of the Entra app', () => {
    const { form, entra } = generated();
    for (const [field, property] of [
      ...Object.entries(form.properties),
      ...Object.entries(entra.properties),
    ]) {
      expect(property.description, field).toMatch(/\w{3}/);
    }
    expect(form.properties.connectionUrl?.description).toContain(GRAPH_URL);
    expect(entra.properties.secretExpires?.description).toContain('YYYY-MM-DD');
    expect(entra.description).toContain('optional');
  });
});
