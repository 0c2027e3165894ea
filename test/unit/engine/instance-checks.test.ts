import { describe, expect, it } from 'vitest';
import { checkAgainstSnapshot } from '../../../src/shared/domain/instance-checks';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import {
  IDS,
  connection,
  credential,
  credentialsSnapshot,
  freshSnapshot,
  provisionedSnapshot,
  wcsSnapshot,
} from './snapshot-fixtures';

const pick = (issues: ReturnType<typeof checkAgainstSnapshot>, form: string | null, field: string) =>
  issues.filter((i) => i.form === form && i.field === field);

describe('checkAgainstSnapshot', () => {
  it('fresh instance: credentials will be created, naming the profile; no errors', () => {
    const issues = checkAgainstSnapshot(defaultDesiredState(), freshSnapshot());
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    const [main] = pick(issues, 'main', 'credential');
    expect(main?.severity).toBe('info');
    expect(main?.message).toBe(
      '"Exchange_Online_Credentials" will be created as a new OAuth 2.0 credential bound to "Microsoft Exchange Online default_profile".',
    );
    expect(pick(issues, 'clientCred', 'credential')[0]?.message).toContain(
      'Microsoft Exchange Online_clientCredentials default_profile',
    );
  });

  it('existing credential bound to the other profile: warning', () => {
    const snap = freshSnapshot();
    snap.credentials = [credential('Exchange_Online_Credentials', 'c1', IDS.profileClientCred)];
    const [issue] = pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'credential');
    expect(issue?.severity).toBe('warning');
    expect(issue?.message).toContain(
      'bound to "Microsoft Exchange Online_clientCredentials default_profile"',
    );
    expect(issue?.message).toContain('not to "Microsoft Exchange Online default_profile"');
  });

  it('existing credential on the right profile: info', () => {
    const [issue] = pick(
      checkAgainstSnapshot(defaultDesiredState(), credentialsSnapshot()),
      'main',
      'credential',
    );
    expect(issue?.severity).toBe('info');
    expect(issue?.message).toContain('exists');
  });

  it('name taken by another connection: error on the name field', () => {
    const snap = freshSnapshot();
    snap.connections = [
      connection('Exchange_Online_Connection_clientCred', 'x', IDS.aliasMain, null, { active: false }),
    ];
    const issues = checkAgainstSnapshot(defaultDesiredState(), snap);
    const [issue] = pick(issues, 'clientCred', 'name');
    expect(issue?.severity).toBe('error');
    expect(issue?.message).toContain('on Microsoft_Exchange_Online');
  });

  it('the record the plan updates is not "taken"', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c1')];
    const [issue] = pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'name');
    expect(issue?.severity).toBe('info');
    expect(issue?.message).toContain('exists on this alias');
    expect(issue?.message).not.toContain('choose another name');
  });

  it('WCS: explains the single-connection rule', () => {
    const [issue] = pick(checkAgainstSnapshot(defaultDesiredState(), wcsSnapshot()), 'main', 'name');
    expect(issue).toEqual({
      form: 'main',
      field: 'name',
      severity: 'info',
      message:
        'MS Graph 1 is active on this alias, which allows one active connection per domain: the plan updates it instead of adding a second.',
    });
  });

  it('MID server missing is an error, Down is a warning, Up is fine', () => {
    const d = defaultDesiredState();
    d.main = { ...d.main, useMid: true, midSelection: 'server', midServer: 'ghost' };
    d.clientCred = { ...d.clientCred, useMid: true, midSelection: 'server', midServer: 'mid-down' };
    const issues = checkAgainstSnapshot(d, freshSnapshot());
    expect(pick(issues, 'main', 'midServer')[0]?.severity).toBe('error');
    expect(pick(issues, 'clientCred', 'midServer')[0]).toMatchObject({ severity: 'warning' });
    expect(pick(issues, 'clientCred', 'midServer')[0]?.message).toContain('is Down');
    d.clientCred.midServer = 'mid-up';
    expect(pick(checkAgainstSnapshot(d, freshSnapshot()), 'clientCred', 'midServer')).toEqual([]);
  });

  it('domain: global always exists, an unknown one is an error', () => {
    const d = defaultDesiredState();
    d.main.domain = 'Nowhere';
    d.clientCred.domain = 'INITECH';
    const issues = checkAgainstSnapshot(d, freshSnapshot());
    expect(pick(issues, 'main', 'domain')[0]?.severity).toBe('error');
    expect(pick(issues, 'clientCred', 'domain')).toEqual([]);
  });

  it('spoke, alias and profile missing; admin role missing', () => {
    const snap = freshSnapshot();
    snap.aliases.clientCred = null;
    snap.profiles.authorization_code = null;
    snap.user.roles = [];
    const issues = checkAgainstSnapshot(defaultDesiredState(), snap);
    expect(pick(issues, 'clientCred', 'alias')[0]?.severity).toBe('error');
    expect(pick(issues, 'main', 'grant')[0]?.message).toContain(
      '"Microsoft Exchange Online default_profile" is missing',
    );
    expect(pick(issues, null, 'instance')[0]?.message).toContain('admin role');
    snap.spoke.installed = false;
    expect(
      pick(checkAgainstSnapshot(defaultDesiredState(), snap), null, 'instance').map((i) => i.message),
    ).toEqual(expect.arrayContaining([expect.stringContaining('Spoke is not installed')]));
  });

  it('skips forms that are not filled yet', () => {
    expect(checkAgainstSnapshot({ main: undefined }, freshSnapshot())).toEqual([]);
  });
});

describe('an existing connection says "updates" only when the plan updates it (issue 12)', () => {
  const nameNote = (snapshot: ReturnType<typeof provisionedSnapshot>, desired = defaultDesiredState()) =>
    pick(checkAgainstSnapshot(desired, snapshot), 'main', 'name')[0];

  it('up to date: it already matches, nothing to change', () => {
    const note = nameNote(provisionedSnapshot());
    expect(note?.severity).toBe('info');
    expect(note?.message).toBe(
      '"Exchange_Online_Connection" exists on this alias and already matches the form: nothing to change.',
    );
  });

  it('a field differs: the plan updates the fields that differ', () => {
    const desired = defaultDesiredState();
    desired.main.connectionUrl = 'https://graph.microsoft.us';
    expect(nameNote(provisionedSnapshot(), desired)?.message).toBe(
      '"Exchange_Online_Connection" exists on this alias: the plan updates the fields that differ from the form.',
    );
  });
});
