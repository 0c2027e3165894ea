// The desired-state rules: a form or config file is refused, field by field, before anything is planned.
import { describe, expect, it } from 'vitest';
import {
  defaultDesiredState,
  defaultForm,
  desiredStateFromConfig,
  formatIssue,
  validateDesiredState,
  validateForm,
  type FieldIssue,
} from '../../../src/shared/domain/desired-state';

const errors = (issues: FieldIssue[]) => issues.filter((i) => i.severity === 'error');

describe('validateForm', () => {
  it('the documented defaults are valid and raise nothing', () => {
    for (const key of ['main', 'clientCred'] as const) {
      const result = validateForm(key, defaultForm(key));
      expect(result.issues).toEqual([]);
      expect(result.form).toEqual(defaultForm(key));
    }
  });

  it('a form with an unknown key is refused, naming the key', () => {
    const result = validateForm('main', { ...defaultForm('main'), passwrd: 'x' });
    expect(result.form).toBeUndefined();
    expect(errors(result.issues)).toHaveLength(1);
    expect(result.issues[0]?.message).toContain('passwrd');
  });

  it('the URL builder must stay unchecked', () => {
    const result = validateForm('main', { ...defaultForm('main'), urlBuilder: true });
    expect(result.form).toBeUndefined();
    expect(result.issues.map((i) => i.field)).toEqual(['urlBuilder']);
  });

  it('the connection URL must be a valid https URL; another https URL is only a warning', () => {
    expect(
      validateForm('main', { ...defaultForm('main'), connectionUrl: 'not a url' }).issues[0],
    ).toMatchObject({ field: 'connectionUrl', severity: 'error' });
    expect(
      validateForm('main', { ...defaultForm('main'), connectionUrl: 'http://graph.microsoft.com' }).issues[0],
    ).toMatchObject({ field: 'connectionUrl', severity: 'error' });
    const other = validateForm('main', {
      ...defaultForm('main'),
      connectionUrl: 'https://graph.microsoft.com/beta',
    });
    expect(other.form).toBeDefined();
    expect(other.issues).toEqual([expect.objectContaining({ field: 'connectionUrl', severity: 'warning' })]);
    // A trailing slash is the same URL.
    expect(
      validateForm('main', { ...defaultForm('main'), connectionUrl: 'https://graph.microsoft.com/' }).issues,
    ).toEqual([]);
  });

  it('Use MID server needs a selection, and a specific server or cluster needs its name', () => {
    const base = { ...defaultForm('main'), useMid: true };
    expect(validateForm('main', base).issues.map((i) => i.field)).toEqual(['midSelection']);
    expect(validateForm('main', { ...base, midSelection: 'server' }).issues.map((i) => i.field)).toEqual([
      'midServer',
    ]);
    expect(validateForm('main', { ...base, midSelection: 'cluster' }).issues.map((i) => i.field)).toEqual([
      'midCluster',
    ]);
    expect(validateForm('main', { ...base, midSelection: 'auto' }).issues).toEqual([]);
    expect(validateForm('main', { ...base, midSelection: 'server', midServer: 'mid1' }).issues).toEqual([]);
    // Without Use MID server none of it is required.
    expect(validateForm('main', { ...defaultForm('main'), useMid: false }).issues).toEqual([]);
  });

  it('a name with characters ServiceNow names may not hold, or too long, is refused', () => {
    expect(validateForm('main', { ...defaultForm('main'), name: 'a/b' }).issues[0]?.field).toBe('name');
    expect(validateForm('main', { ...defaultForm('main'), name: 'x'.repeat(81) }).issues[0]?.field).toBe(
      'name',
    );
    expect(validateForm('main', { ...defaultForm('main'), name: 'x'.repeat(80) }).issues).toEqual([]);
    expect(validateForm('main', { ...defaultForm('main'), name: '   ' }).issues[0]?.field).toBe('name');
  });

  it("the other form's alias is refused; an unknown alias is refused", () => {
    const swapped = validateForm('main', defaultForm('clientCred'));
    expect(errors(swapped.issues).map((i) => i.field)).toEqual(['alias']);
    const unknown = validateForm('main', { ...defaultForm('main'), alias: 'Nope' });
    expect(unknown.form).toBeUndefined();
    expect(unknown.issues.map((i) => i.field)).toEqual(['alias']);
  });
});

describe('validateDesiredState', () => {
  it('the defaults pass', () => {
    const d = defaultDesiredState();
    expect(validateDesiredState(d)).toEqual({ desired: d, issues: [] });
  });

  it('two forms with the same connection name are refused', () => {
    const d = defaultDesiredState();
    d.clientCred.name = d.main.name;
    const result = validateDesiredState(d);
    expect(result.desired).toBeUndefined();
    expect(result.issues).toEqual([expect.objectContaining({ form: 'clientCred', field: 'name' })]);
  });

  it('one credential for two active connections is refused; with one of them inactive it is allowed', () => {
    const d = defaultDesiredState();
    d.clientCred.credential = d.main.credential;
    expect(validateDesiredState(d).issues).toEqual([
      expect.objectContaining({ form: 'clientCred', field: 'credential', severity: 'error' }),
    ]);
    d.clientCred.active = false;
    expect(validateDesiredState(d).issues).toEqual([]);
    expect(validateDesiredState(d).desired).toBeDefined();
  });

  it('a warning alone does not stop the desired state', () => {
    const d = defaultDesiredState();
    d.main.connectionUrl = 'https://graph.microsoft.com/beta';
    const result = validateDesiredState(d);
    expect(result.issues.map((i) => i.severity)).toEqual(['warning']);
    expect(result.desired).toBeDefined();
  });
});

describe('desiredStateFromConfig', () => {
  it('overrides the defaults form by form', () => {
    const result = desiredStateFromConfig({
      version: 1,
      connections: [{ alias: 'Microsoft_Exchange_Online', name: 'Custom' }],
    });
    expect(result.issues).toEqual([]);
    expect(result.desired?.main.name).toBe('Custom');
    expect(result.desired?.clientCred).toEqual(defaultForm('clientCred'));
  });

  it('an unknown top-level key is refused, naming it', () => {
    const result = desiredStateFromConfig({ version: 1, connections: [], extra: true });
    expect(result.desired).toBeUndefined();
    expect(result.issues[0]?.message).toContain('extra');
  });

  it('an unknown key inside a form is refused', () => {
    const result = desiredStateFromConfig({
      connections: [{ alias: 'Microsoft_Exchange_Online', colour: 'blue' }],
    });
    expect(result.desired).toBeUndefined();
    expect(result.issues.some((i) => i.message.includes('colour'))).toBe(true);
  });

  it('an entry without an alias, with an unknown alias, or listed twice is refused with its index', () => {
    const result = desiredStateFromConfig({
      connections: [
        { name: 'x' },
        { alias: 'Nope' },
        { alias: 'Microsoft_Exchange_Online' },
        { alias: 'Microsoft_Exchange_Online' },
      ],
    });
    expect(result.desired).toBeUndefined();
    expect(result.issues.map((i) => i.field)).toEqual([
      'connections[0].alias',
      'connections[1].alias',
      'connections[3].alias',
    ]);
    expect(result.issues[2]?.message).toContain('listed twice');
  });

  it('a version other than 1 is refused', () => {
    const result = desiredStateFromConfig({ version: 2, connections: [] });
    expect(result.desired).toBeUndefined();
    expect(result.issues[0]?.field).toBe('version');
  });
});

describe('formatIssue', () => {
  it('names the alias for a form issue and the path for a file issue', () => {
    expect(formatIssue({ form: 'clientCred', field: 'name', message: 'M', severity: 'error' })).toBe(
      'Microsoft_Exchange_Online_clientCred.name: M',
    );
    expect(formatIssue({ form: null, field: 'connections[1]', message: 'M', severity: 'error' })).toBe(
      'connections[1]: M',
    );
  });
});
