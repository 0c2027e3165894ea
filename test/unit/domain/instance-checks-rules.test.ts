// The instance-aware checks, each from both sides, with the severity that decides whether the UI lets an
// apply go ahead (an error stops it; a warning or info does not).
import { describe, expect, it } from 'vitest';
import { checkAgainstSnapshot } from '../../../src/shared/domain/instance-checks';
import { defaultDesiredState, type FieldIssue } from '../../../src/shared/domain/desired-state';
import {
  IDS,
  connection,
  credential,
  credentialsSnapshot,
  freshSnapshot,
  wcsSnapshot,
} from '../engine/snapshot-fixtures';

const pick = (issues: FieldIssue[], form: string | null, field: string) =>
  issues.filter((i) => i.form === form && i.field === field);

describe('instance-wide checks', () => {
  it('a user without the admin role is an error, not a warning', () => {
    const snap = freshSnapshot();
    snap.user.roles = ['itil'];
    expect(pick(checkAgainstSnapshot(defaultDesiredState(), snap), null, 'instance')).toEqual([
      {
        form: null,
        field: 'instance',
        severity: 'error',
        message: 'The user admin does not have the admin role the procedure requires.',
      },
    ]);
  });

  it('a user with the admin role among others gets no instance issue', () => {
    const snap = freshSnapshot();
    snap.user.roles = ['itil', 'admin'];
    expect(pick(checkAgainstSnapshot(defaultDesiredState(), snap), null, 'instance')).toEqual([]);
  });

  it('the spoke not installed is an error; its missing aliases are not reported twice', () => {
    const snap = freshSnapshot();
    snap.spoke.installed = false;
    snap.aliases = { main: null, clientCred: null };
    const issues = checkAgainstSnapshot(defaultDesiredState(), snap);
    expect(pick(issues, null, 'instance').map((i) => i.severity)).toEqual(['error']);
    expect(pick(issues, null, 'instance')[0]?.message).toContain('not installed');
    expect(issues.filter((i) => i.field === 'alias')).toEqual([]);
  });

  it('with the spoke installed, a missing alias is an error on that form only', () => {
    const snap = freshSnapshot();
    snap.aliases.main = null;
    const issues = checkAgainstSnapshot(defaultDesiredState(), snap);
    expect(pick(issues, 'main', 'alias').map((i) => i.severity)).toEqual(['error']);
    expect(pick(issues, 'clientCred', 'alias')).toEqual([]);
  });

  it('a missing alias is the only issue about the connection: its name is not checked against others', () => {
    const snap = credentialsSnapshot();
    snap.aliases.main = null;
    snap.connections = [connection('Exchange_Online_Connection', 'k1', IDS.aliasClientCred, null)];
    const issues = checkAgainstSnapshot(defaultDesiredState(), snap);
    expect(pick(issues, 'main', 'alias')).toEqual([
      {
        form: 'main',
        field: 'alias',
        severity: 'error',
        message: 'The connection alias Microsoft_Exchange_Online is missing on this instance.',
      },
    ]);
    expect(pick(issues, 'main', 'name')).toEqual([]);
  });

  it('a fresh instance with the defaults has no errors or warnings at all', () => {
    const issues = checkAgainstSnapshot(defaultDesiredState(), freshSnapshot());
    expect(issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });
});

describe('credential checks', () => {
  it('an existing inactive credential is a warning; an active one is not', () => {
    const snap = freshSnapshot();
    snap.credentials = [
      credential('Exchange_Online_Credentials', 'c1', IDS.profileAuthCode, false),
      credential('Exchange_Online_Credentials_clientCred', 'c2', IDS.profileClientCred, true),
    ];
    const issues = checkAgainstSnapshot(defaultDesiredState(), snap);
    expect(pick(issues, 'main', 'credential').map((i) => i.severity)).toEqual(['info', 'warning']);
    expect(pick(issues, 'main', 'credential')[1]?.message).toContain('inactive');
    expect(pick(issues, 'clientCred', 'credential').map((i) => i.severity)).toEqual(['info']);
  });

  it('a credential bound to another profile is a warning naming both profiles', () => {
    const snap = freshSnapshot();
    snap.credentials = [credential('Exchange_Online_Credentials', 'c1', 'someone-elses-profile')];
    const [issue] = pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'credential');
    expect(issue?.severity).toBe('warning');
    expect(issue?.message).toContain('another profile (someone-elses-profile)');
    expect(issue?.message).toContain('Microsoft Exchange Online default_profile');
  });

  it('a missing profile is an error only for the form that would create a credential on it', () => {
    const snap = credentialsSnapshot();
    snap.profiles.authorization_code = null;
    // The credential exists, so nothing needs the missing profile.
    expect(pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'grant')).toEqual([]);
    snap.credentials = [];
    const issues = checkAgainstSnapshot(defaultDesiredState(), snap);
    expect(pick(issues, 'main', 'grant').map((i) => i.severity)).toEqual(['error']);
    expect(pick(issues, 'clientCred', 'grant')).toEqual([]);
  });
});

describe('domain checks', () => {
  it('an unknown domain is an error that names it', () => {
    const d = defaultDesiredState();
    d.main.domain = 'ACME';
    expect(pick(checkAgainstSnapshot(d, freshSnapshot()), 'main', 'domain')).toEqual([
      {
        form: 'main',
        field: 'domain',
        severity: 'error',
        message: 'The domain "ACME" does not exist on this instance.',
      },
    ]);
  });

  it("the single-connection rule is judged in the form's domain: an active connection elsewhere is not adopted", () => {
    const snap = wcsSnapshot();
    const d = defaultDesiredState();
    d.main.domain = 'INITECH';
    expect(pick(checkAgainstSnapshot(d, snap), 'main', 'name')).toEqual([]);
    snap.connections[0] = connection('MS Graph 1', 'k1', IDS.aliasMain, 'g1', {
      domainSysId: IDS.domainInitech,
    });
    expect(pick(checkAgainstSnapshot(d, snap), 'main', 'name')[0]?.message).toContain('MS Graph 1 is active');
  });
});

describe('name checks', () => {
  it('an existing record of that name on this alias is announced as an update, not as an adoption', () => {
    const snap = credentialsSnapshot();
    // It differs from the form (another URL), so the plan updates it; one that matches is "nothing to change".
    snap.connections = [
      connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, 'c1', {
        connectionUrl: 'https://graph.microsoft.us',
      }),
    ];
    expect(pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'name')).toEqual([
      {
        form: 'main',
        field: 'name',
        severity: 'info',
        message:
          '"Exchange_Online_Connection" exists on this alias: the plan updates the fields that differ from the form.',
      },
    ]);
  });

  it('a name on another alias is an error; the same name on this alias is the record to update', () => {
    const snap = credentialsSnapshot();
    snap.connections = [connection('Exchange_Online_Connection', 'k1', IDS.aliasClientCred, null)];
    expect(pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'name')[0]?.severity).toBe(
      'error',
    );
    snap.connections = [connection('Exchange_Online_Connection', 'k1', IDS.aliasMain, null)];
    expect(pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'name')[0]?.severity).toBe('info');
  });

  it('the adoption note follows the alias flag: none when the alias allows several connections', () => {
    const snap = wcsSnapshot();
    expect(pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'name')).toHaveLength(1);
    snap.aliases.main!.multipleConnections = true;
    expect(pick(checkAgainstSnapshot(defaultDesiredState(), snap), 'main', 'name')).toEqual([]);
  });
});

describe('MID checks', () => {
  it('an Up MID Server not validated yet is a warning', () => {
    const snap = freshSnapshot();
    snap.midServers = [{ sysId: 'm9', name: 'mid-new', status: 'Up', validated: false }];
    const d = defaultDesiredState();
    d.main = { ...d.main, useMid: true, midSelection: 'server', midServer: 'mid-new' };
    const [issue] = pick(checkAgainstSnapshot(d, snap), 'main', 'midServer');
    expect(issue?.severity).toBe('warning');
    expect(issue?.message).toContain('not validated');
  });

  it('a MID cluster that does not exist is an error; one that exists is fine', () => {
    const snap = freshSnapshot();
    snap.midClusters = [{ sysId: 'mc1', name: 'cluster-a' }];
    const d = defaultDesiredState();
    d.main = { ...d.main, useMid: true, midSelection: 'cluster', midCluster: 'cluster-x' };
    d.clientCred = { ...d.clientCred, useMid: true, midSelection: 'cluster', midCluster: 'cluster-a' };
    const issues = checkAgainstSnapshot(d, snap);
    expect(pick(issues, 'main', 'midCluster').map((i) => i.severity)).toEqual(['error']);
    expect(pick(issues, 'clientCred', 'midCluster')).toEqual([]);
  });

  it('an unknown MID Server or cluster is an error naming it', () => {
    const snap = freshSnapshot();
    const d = defaultDesiredState();
    d.main = { ...d.main, useMid: true, midSelection: 'server', midServer: 'ghost' };
    d.clientCred = { ...d.clientCred, useMid: true, midSelection: 'cluster', midCluster: 'phantom' };
    const issues = checkAgainstSnapshot(d, snap);
    expect(pick(issues, 'main', 'midServer')[0]?.message).toBe(
      'There is no MID Server named "ghost" on this instance.',
    );
    expect(pick(issues, 'clientCred', 'midCluster')[0]?.message).toBe(
      'There is no MID cluster named "phantom" on this instance.',
    );
  });

  it('only the selected kind of MID target is checked: a leftover server or cluster name is ignored', () => {
    const d = defaultDesiredState();
    d.main = {
      ...d.main,
      useMid: true,
      midSelection: 'cluster',
      midCluster: 'cluster-a',
      midServer: 'ghost',
    };
    d.clientCred = {
      ...d.clientCred,
      useMid: true,
      midSelection: 'server',
      midServer: 'mid-up',
      midCluster: 'phantom',
    };
    const snap = freshSnapshot();
    snap.midClusters = [{ sysId: 'mc1', name: 'cluster-a' }];
    const issues = checkAgainstSnapshot(d, snap);
    expect(issues.filter((i) => i.field.startsWith('mid'))).toEqual([]);
  });

  it('MID fields are not checked when Use MID server is off', () => {
    const d = defaultDesiredState();
    d.main = { ...d.main, useMid: false, midSelection: 'server', midServer: 'ghost' };
    d.clientCred = { ...d.clientCred, useMid: false, midSelection: 'cluster', midCluster: 'ghost' };
    const issues = checkAgainstSnapshot(d, freshSnapshot());
    expect(issues.filter((i) => i.field.startsWith('mid'))).toEqual([]);
  });
});
