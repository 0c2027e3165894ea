// What a consultant reads when a form or a config file is wrong: every message names the field (or the
// place in the file) and says what to enter, on both sides of each rule. The rules themselves are in
// desired-state-rules.test.ts; this file holds the words and the edges the live validation shows.
import { describe, expect, it } from 'vitest';
import {
  defaultDesiredState,
  defaultForm,
  desiredStateFromConfig,
  isIsoDate,
  validateDesiredState,
  validateForm,
  type FieldIssue,
} from '../../../src/shared/domain/desired-state';

const NOW = new Date('2026-12-06T12:00:00Z');
const MAIN = 'Microsoft_Exchange_Online';
const CLIENT_CRED = 'Microsoft_Exchange_Online_clientCred';
const FORM_EXAMPLE = '{ "alias": "Microsoft_Exchange_Online", "name": "…" }';
const TENANT = '6d4e8b3a-1c2f-4a5b-9e7d-2f3a4b5c6d7e';
const CLIENT = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

/** field → message, for the issues of one form. */
const byField = (issues: FieldIssue[]) => Object.fromEntries(issues.map((i) => [i.field, i.message]));

describe('the messages of one form', () => {
  it('an unknown alias is named, with the two aliases to use', () => {
    const { form, issues } = validateForm('main', { ...defaultForm('main'), alias: 'Exchange_Online' });
    expect(form).toBeUndefined();
    expect(byField(issues)).toEqual({
      alias: `Unknown connection alias "Exchange_Online": use ${MAIN} or ${CLIENT_CRED}.`,
    });
  });

  it('the URL builder: checked is refused with the procedure as the reason; unchecked is fine', () => {
    expect(byField(validateForm('main', { ...defaultForm('main'), urlBuilder: true }).issues)).toEqual({
      urlBuilder: 'URL builder must stay unchecked: the procedure says not to select it.',
    });
    expect(validateForm('main', { ...defaultForm('main'), urlBuilder: false }).issues).toEqual([]);
  });

  it('a connection URL that is not a URL is quoted; one without https says what to enter', () => {
    expect(
      byField(validateForm('main', { ...defaultForm('main'), connectionUrl: 'graph dot com' }).issues),
    ).toEqual({ connectionUrl: 'Connection URL "graph dot com" is not a valid URL.' });
    expect(
      byField(
        validateForm('main', { ...defaultForm('main'), connectionUrl: 'http://graph.microsoft.com' }).issues,
      ),
    ).toEqual({ connectionUrl: 'Connection URL must use https (enter https://graph.microsoft.com).' });
  });

  it('another https URL is a warning naming the URL the procedure uses', () => {
    const { form, issues } = validateForm('clientCred', {
      ...defaultForm('clientCred'),
      connectionUrl: 'https://graph.microsoft.us',
    });
    expect(form).toBeDefined();
    expect(issues).toEqual([
      {
        form: 'clientCred',
        field: 'connectionUrl',
        message: 'The procedure uses https://graph.microsoft.com; check that this URL is intended.',
        severity: 'warning',
      },
    ]);
  });

  it('trailing slashes do not make another URL, however many', () => {
    for (const url of ['https://graph.microsoft.com/', 'https://graph.microsoft.com//']) {
      expect(validateForm('main', { ...defaultForm('main'), connectionUrl: url }).issues).toEqual([]);
    }
  });

  it('Use MID server: each missing choice is named with what to choose', () => {
    const base = { ...defaultForm('main'), useMid: true };
    expect(byField(validateForm('main', base).issues)).toEqual({
      midSelection: 'Use MID server is checked: choose how the MID Server is selected.',
    });
    expect(byField(validateForm('main', { ...base, midSelection: 'server' }).issues)).toEqual({
      midServer: 'Choose the MID Server to use.',
    });
    expect(byField(validateForm('main', { ...base, midSelection: 'cluster' }).issues)).toEqual({
      midCluster: 'Choose the MID cluster to use.',
    });
    expect(
      validateForm('main', { ...base, midSelection: 'cluster', midCluster: 'eu-cluster' }).issues,
    ).toEqual([]);
  });

  it("the other form's alias names the table and both aliases", () => {
    const { issues } = validateForm('clientCred', { ...defaultForm('clientCred'), alias: MAIN });
    expect(issues).toEqual([
      {
        form: 'clientCred',
        field: 'alias',
        message: `Table 2 belongs to alias ${CLIENT_CRED}, not ${MAIN}.`,
        severity: 'error',
      },
    ]);
  });

  it('a form that is not an object is reported on the form as a whole', () => {
    const { form, issues } = validateForm('main', 'Exchange_Online_Connection');
    expect(form).toBeUndefined();
    expect(issues.map((i) => [i.form, i.field, i.severity])).toEqual([['main', 'form', 'error']]);
  });
});

describe('the messages of the rules between the two forms', () => {
  it('the same connection name on both forms is reported on the second form', () => {
    const d = defaultDesiredState();
    d.clientCred.name = d.main.name;
    expect(validateDesiredState(d, NOW).issues).toEqual([
      {
        form: 'clientCred',
        field: 'name',
        message: 'The two connections need different names.',
        severity: 'error',
      },
    ]);
  });

  it('one credential for two active connections says each form needs its own', () => {
    const d = defaultDesiredState();
    d.clientCred.credential = d.main.credential;
    expect(validateDesiredState(d, NOW).issues).toEqual([
      {
        form: 'clientCred',
        field: 'credential',
        message: 'A credential can be used by only one active connection: give each form its own credential.',
        severity: 'error',
      },
    ]);
  });
});

describe('isIsoDate', () => {
  it('takes a real calendar date written YYYY-MM-DD, a leap day included', () => {
    expect(isIsoDate('2027-06-30')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
  });

  it('refuses a year or a month alone, although JavaScript reads them as dates', () => {
    expect(isIsoDate('2027-06')).toBe(false);
    expect(isIsoDate('2027')).toBe(false);
  });

  it('refuses a day that does not exist and a date with a time', () => {
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-06-30T00:00')).toBe(false);
  });
});

describe('the messages of a config file', () => {
  const whole = (what: string) =>
    `The file must hold one JSON object, { "version": 1, "connections": [${FORM_EXAMPLE}] }, not ${what}.`;

  it.each([
    ['a string', '"connections": []'],
    ['null', null],
    ['a list', [{ alias: MAIN }]],
    ['a number', 1],
    ['a boolean', true],
    ['nothing', undefined],
  ])('a file that is not an object says it is %s, at the top level', (what, raw) => {
    const { desired, issues } = desiredStateFromConfig(raw, NOW);
    expect(desired).toBeUndefined();
    expect(issues).toEqual([{ form: null, field: 'top level', message: whole(what), severity: 'error' }]);
  });

  it('a file without connections says they are required and that an empty list keeps the defaults', () => {
    expect(desiredStateFromConfig({ version: 1 }, NOW).issues).toEqual([
      {
        form: null,
        field: 'connections',
        message: `required: the list of forms to change, e.g. [${FORM_EXAMPLE}] (an empty list keeps the documented defaults).`,
        severity: 'error',
      },
    ]);
  });

  it('connections that are not a list say what they are', () => {
    expect(desiredStateFromConfig({ connections: { alias: MAIN } }, NOW).issues).toEqual([
      {
        form: null,
        field: 'connections',
        message: `must be a list of forms such as [${FORM_EXAMPLE}], not an object.`,
        severity: 'error',
      },
    ]);
  });

  it('an entry that is not a form is named by its index and says what it is', () => {
    const { issues } = desiredStateFromConfig({ connections: [{ alias: MAIN }, MAIN, null, ['x']] }, NOW);
    expect(issues.map((i) => [i.field, i.message])).toEqual([
      ['connections[1]', `must be a form (an object) such as ${FORM_EXAMPLE}, not a string.`],
      ['connections[2]', `must be a form (an object) such as ${FORM_EXAMPLE}, not null.`],
      ['connections[3]', `must be a form (an object) such as ${FORM_EXAMPLE}, not a list.`],
    ]);
  });

  it('unknown top-level keys are quoted, one or several, with the keys the file may hold', () => {
    expect(desiredStateFromConfig({ connections: [], colour: 'blue' }, NOW).issues).toEqual([
      {
        form: null,
        field: 'top level',
        message: 'Unknown key "colour": the file holds only "version", "connections" and "entra".',
        severity: 'error',
      },
    ]);
    expect(desiredStateFromConfig({ connections: [], colour: 'blue', size: 2 }, NOW).issues[0]?.message).toBe(
      'Unknown keys "colour", "size": the file holds only "version", "connections" and "entra".',
    );
  });

  it('an entry without an alias, with an alias that is not text, or with an unknown one says which to use', () => {
    const { desired, issues } = desiredStateFromConfig(
      { connections: [{ name: 'A' }, { alias: 1 }, { alias: 'Exchange' }] },
      NOW,
    );
    expect(desired).toBeUndefined();
    expect(issues).toEqual([
      {
        form: null,
        field: 'connections[0].alias',
        message: `Each connection needs an alias: ${MAIN} or ${CLIENT_CRED}.`,
        severity: 'error',
      },
      {
        form: null,
        field: 'connections[1].alias',
        message: `Each connection needs an alias: ${MAIN} or ${CLIENT_CRED}.`,
        severity: 'error',
      },
      {
        form: null,
        field: 'connections[2].alias',
        message: `Unknown connection alias "Exchange": use ${MAIN} or ${CLIENT_CRED}.`,
        severity: 'error',
      },
    ]);
  });

  it('a form listed twice is an error naming the alias; the first listing is not', () => {
    const { desired, issues } = desiredStateFromConfig(
      {
        connections: [
          { alias: CLIENT_CRED, name: 'A' },
          { alias: CLIENT_CRED, name: 'B' },
        ],
      },
      NOW,
    );
    expect(desired).toBeUndefined();
    expect(issues).toEqual([
      {
        form: null,
        field: 'connections[1].alias',
        message: `${CLIENT_CRED} is listed twice.`,
        severity: 'error',
      },
    ]);
  });

  it("a config file's Entra app is carried into the desired state", () => {
    const entra = { tenant: TENANT, clientId: CLIENT };
    const { desired, issues } = desiredStateFromConfig({ connections: [], entra }, NOW);
    expect(issues).toEqual([]);
    expect(desired).toEqual({ ...defaultDesiredState(), entra });
  });

  it("a config file's Entra app is validated like the card's, naming the field", () => {
    const { desired, issues } = desiredStateFromConfig(
      { connections: [], entra: { tenant: TENANT, clientId: 'my-app' } },
      NOW,
    );
    expect(desired).toBeUndefined();
    expect(issues.map((i) => i.field)).toEqual(['entra.clientId']);
  });
});
