// Templates carry the Entra app with tenant and client ID as per-instance variables, never a secret
// (issue 10): rendering fills them from each instance's variables, and every problem names the variable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderTemplate, templateUsage } from '../../../src/shared/workspace/template';
import { TemplateSchema, type Template } from '../../../src/shared/workspace/schemas';
import { importTemplatesJson } from '../../../src/shared/workspace/template-transfer';
import { looksLikeSecret } from '../../../src/shared/workspace/secret-fields';
import { openWorkspace } from '../../../src/main/workspace';
import { tempDir } from './helpers';

const NOW = new Date('2026-12-06T15:00:00.000Z');
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

const WALKUP: Template = {
  name: 'walkup',
  variables: [{ name: 'customer' }, { name: 'tenant' }, { name: 'client_id' }, { name: 'secret_expires' }],
  main: { name: '{customer}_Exchange_Online_Connection' },
  clientCred: { name: '{customer}_Exchange_Online_Connection_clientCred' },
  entra: { tenant: '{tenant}', clientId: '{client_id}', secretExpires: '{secret_expires}' },
};

const vars = (overrides: Record<string, string> = {}) => ({
  customer: 'ACME',
  tenant: TENANT,
  client_id: CLIENT,
  secret_expires: '2027-06-30',
  ...overrides,
});

describe('a template with an Entra app', () => {
  it('renders tenant, client ID and expiry from the instance variables', () => {
    const result = renderTemplate(WALKUP, vars({ tenant: 'Contoso.onmicrosoft.com' }), NOW);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.desired.entra).toEqual({
      tenant: 'contoso.onmicrosoft.com',
      clientId: CLIENT,
      secretExpires: '2027-06-30',
    });
    expect(result.desired.main.name).toBe('ACME_Exchange_Online_Connection');
  });

  it('a template without an Entra app renders none (the registries are left alone)', () => {
    const { entra: _entra, ...plain } = WALKUP;
    const result = renderTemplate({ ...plain, variables: [{ name: 'customer' }] }, { customer: 'ACME' }, NOW);
    expect(result.ok && result.desired.entra).toBeUndefined();
  });

  it('lists the Entra fields among the variables’ uses', () => {
    expect(templateUsage(WALKUP).get('tenant')).toEqual(['entra.tenant']);
    expect(templateUsage(WALKUP).get('client_id')).toEqual(['entra.clientId']);
  });

  it('a missing variable is named with the Entra field that uses it', () => {
    const result = renderTemplate(WALKUP, vars({ tenant: '' }), NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        form: null,
        field: 'entra.tenant',
        variable: 'tenant',
        message: 'Variable {tenant} (used in entra.tenant) has no value: set it on the instance.',
      },
    ]);
  });

  it('a bad value names the field and the variable it came from', () => {
    const result = renderTemplate(WALKUP, vars({ client_id: 'not-a-guid' }), NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ form: null, field: 'entra.clientId', variable: 'client_id' });
    expect(result.errors[0]!.message).toMatch(
      /^entra\.clientId: Client ID must be the Application \(client\) ID.*\(from "\{client_id\}" with \{client_id\}\)$/,
    );
  });

  it('an expiry in the past (for the given now) names its variable; today is still fine', () => {
    const past = renderTemplate(WALKUP, vars({ secret_expires: '2026-12-05' }), NOW);
    expect(past.ok).toBe(false);
    if (!past.ok)
      expect(past.errors[0]).toMatchObject({ field: 'entra.secretExpires', variable: 'secret_expires' });
    expect(renderTemplate(WALKUP, vars({ secret_expires: '2026-12-06' }), NOW).ok).toBe(true);
  });

  it('an undeclared variable in an Entra field is named', () => {
    const result = renderTemplate(
      { ...WALKUP, entra: { tenant: '{tenant_id}', clientId: '{client_id}' } },
      vars(),
      NOW,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ form: null, field: 'entra.tenant', variable: 'tenant_id' });
    expect(result.errors[0]!.message).toContain('does not declare');
  });
});

describe('the template schema', () => {
  const issues = (entra: Record<string, unknown>) => {
    const parsed = TemplateSchema.safeParse({ ...WALKUP, entra });
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts tenant and client ID as variables, expiry optional', () => {
    expect(issues({ tenant: '{tenant}', clientId: '{client_id}' })).toEqual([]);
  });

  it('refuses a literal tenant or client ID: one customer’s app in a shared template', () => {
    expect(issues({ tenant: TENANT, clientId: '{client_id}' })).toEqual([
      expect.stringMatching(
        /^entra\.tenant: entra\.tenant must be a per-instance variable \(the tenant ID, e\.g\. \{tenant\}\)/,
      ),
    ]);
    expect(issues({ tenant: '{tenant}', clientId: CLIENT })[0]).toMatch(/^entra\.clientId: .*\{client_id\}/);
  });

  it('refuses a secret, saying where secrets belong, and names an unknown field', () => {
    expect(issues({ tenant: '{tenant}', clientId: '{client_id}', clientSecret: 'x' })[0]).toMatch(
      /^entra\.clientSecret: .*looks like a secret.*keychain/,
    );
    expect(issues({ tenant: '{tenant}', clientId: '{client_id}', authority: 'x' })[0]).toMatch(
      /^entra\.authority: Unknown field "authority"/,
    );
    expect(issues({ clientId: '{client_id}' })[0]).toMatch(/^entra\.tenant: entra\.tenant is required/);
  });

  it('a secret’s expiry date is not a secret; the secret itself is', () => {
    for (const name of ['secretExpires', 'secret_expires', 'client secret expiry', 'secret-expires-on'])
      expect(looksLikeSecret(name), name).toBe(false);
    for (const name of ['clientSecret', 'client_secret', 'secret', 'password', 'secret_value'])
      expect(looksLikeSecret(name), name).toBe(true);
  });

  it('a template bundle with an expiry imports; one carrying a secret is refused', () => {
    expect(importTemplatesJson(JSON.stringify({ templates: [WALKUP] }))).toMatchObject({
      templates: [WALKUP],
      errors: [],
      refused: null,
    });
    const text = JSON.stringify({
      templates: [{ ...WALKUP, entra: { ...WALKUP.entra, client_secret: 's3cr3t' } }],
    });
    const result = importTemplatesJson(text);
    expect(result.templates).toEqual([]);
    expect(result.refused).toMatch(/client_secret/);
    expect(result.refused).not.toContain('s3cr3t');
  });
});

describe('an Entra template in the workspace, applied to two customers', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('stores the Entra part and renders each instance with its own tenant and client ID', async () => {
    const ws = await openWorkspace(dir);
    await ws.templates.save(WALKUP);
    const other = '11111111-2222-4333-8444-555555555555';
    for (const [customer, tenant] of [
      ['ACME', TENANT],
      ['Globex', 'globex.onmicrosoft.com'],
    ] as const) {
      await ws.instances.save({
        name: customer,
        url: customer.toLowerCase(),
        authMethod: 'basic',
        username: 'admin',
        template: 'walkup',
        variables: vars({ customer, tenant, client_id: customer === 'ACME' ? CLIENT : other }),
      });
    }
    const reopened = await openWorkspace(dir);
    expect(reopened.templates.get('walkup')?.entra).toEqual(WALKUP.entra);
    const rendered = reopened.instances.list().map((i) => {
      const r = reopened.templates.render(i.template!, i.variables ?? {}, NOW);
      return r.ok ? r.desired.entra : r.errors;
    });
    expect(rendered).toEqual([
      { tenant: TENANT, clientId: CLIENT, secretExpires: '2027-06-30' },
      { tenant: 'globex.onmicrosoft.com', clientId: other, secretExpires: '2027-06-30' },
    ]);
    const file = await import('node:fs/promises').then((fs) =>
      fs.readFile(`${dir}/templates/walkup.json`, 'utf8'),
    );
    expect(file).toContain('"tenant": "{tenant}"');
  });

  it('refuses to save a template with a literal client ID, naming the field', async () => {
    const ws = await openWorkspace(dir);
    await expect(
      ws.templates.save({ ...WALKUP, entra: { tenant: '{tenant}', clientId: CLIENT } }),
    ).rejects.toThrow(/entra\.clientId/);
    expect(ws.templates.list()).toEqual([]);
  });
});
