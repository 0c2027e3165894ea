// Instance checks at their edges: a name taken on an alias the snapshot does not know, the note above an
// existing connection whose plan is blocked, and a desired state with only one form filled in yet.
import { describe, expect, it } from 'vitest';
import { defaultForm, type FieldIssue } from '../../../src/shared/domain/desired-state';
import { checkAgainstSnapshot } from '../../../src/shared/domain/instance-checks';
import { IDS, connection, credentialsSnapshot, provisionedSnapshot } from '../engine/snapshot-fixtures';

const pick = (issues: FieldIssue[], form: string | null, field: string) =>
  issues.filter((i) => i.form === form && i.field === field).map((i) => [i.severity, i.message]);

describe('a connection name taken elsewhere', () => {
  it('on an alias the snapshot does not know: "another alias"', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('Exchange_Online_Connection', 'k9', 'a9999', null)];
    expect(pick(checkAgainstSnapshot({ main: defaultForm('main') }, snap), 'main', 'name')).toEqual([
      [
        'error',
        '"Exchange_Online_Connection" is already the name of a connection on another alias: choose another name.',
      ],
    ]);
  });

  it("on the other spoke alias: that alias's name", () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('Exchange_Online_Connection', 'k9', IDS.aliasClientCred, null)];
    expect(pick(checkAgainstSnapshot({ main: defaultForm('main') }, snap), 'main', 'name')).toEqual([
      [
        'error',
        '"Exchange_Online_Connection" is already the name of a connection on Microsoft_Exchange_Online_clientCred: choose another name.',
      ],
    ]);
  });
});

describe('the note above a connection the plan would adopt', () => {
  it('with a second active connection beside it the plan is blocked, so the note does not say it updates it', () => {
    const snap = credentialsSnapshot();
    snap.connections = [
      connection('MS Graph 1', 'k1', IDS.aliasMain, null),
      connection('MS Graph 2', 'k2', IDS.aliasMain, null),
    ];
    const issues = checkAgainstSnapshot(
      { main: defaultForm('main'), clientCred: defaultForm('clientCred') },
      snap,
    );
    expect(pick(issues, 'main', 'name')).toEqual([
      ['info', 'MS Graph 1 is active on this alias, which allows one active connection per domain.'],
    ]);
  });

  it('alone on the alias it is adopted, and the note says the plan updates it', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('MS Graph 1', 'k1', IDS.aliasMain, null)];
    const issues = checkAgainstSnapshot(
      { main: defaultForm('main'), clientCred: defaultForm('clientCred') },
      snap,
    );
    expect(pick(issues, 'main', 'name')).toEqual([
      [
        'info',
        'MS Graph 1 is active on this alias, which allows one active connection per domain: the plan updates it instead of adding a second.',
      ],
    ]);
  });
});

describe('the note above an existing connection', () => {
  it('when its plan is blocked, only says it exists (the blocking reason is its own message)', () => {
    // k1 is the main form's connection; its credential c1 is also used by another active connection.
    const snap = provisionedSnapshot();
    snap.connections.push(connection('Other', 'k3', 'a9999', 'c1'));
    const issues = checkAgainstSnapshot(
      { main: defaultForm('main'), clientCred: defaultForm('clientCred') },
      snap,
    );
    expect(pick(issues, 'main', 'name')).toEqual([
      ['info', '"Exchange_Online_Connection" exists on this alias.'],
    ]);
  });

  it('when it already matches, says there is nothing to change', () => {
    const issues = checkAgainstSnapshot(
      { main: defaultForm('main'), clientCred: defaultForm('clientCred') },
      provisionedSnapshot(),
    );
    expect(pick(issues, 'main', 'name')).toEqual([
      [
        'info',
        '"Exchange_Online_Connection" exists on this alias and already matches the form: nothing to change.',
      ],
    ]);
  });
});

describe('a desired state with one form filled in', () => {
  it('checks that form alone (a plan needs both forms, so none is made yet)', () => {
    const snap = provisionedSnapshot();
    const issues = checkAgainstSnapshot({ clientCred: defaultForm('clientCred') }, snap);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.form === 'clientCred')).toBe(true);
    expect(pick(issues, 'clientCred', 'credential')).toEqual([
      [
        'info',
        '"Exchange_Online_Credentials_clientCred" exists (bound to "Microsoft Exchange Online_clientCredentials default_profile") and will be used as it is.',
      ],
    ]);
    expect(pick(issues, 'clientCred', 'name')).toHaveLength(1);
    expect(pick(issues, 'clientCred', 'name')[0]?.[1]).toMatch(
      /^"Exchange_Online_Connection_clientCred" exists on this alias/,
    );
  });
});
