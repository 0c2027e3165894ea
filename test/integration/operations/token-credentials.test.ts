// Which credentials the app asks ServiceNow about when it shows OAuth token status
// (src/main/operations/tokens.ts): those the latest successful apply listed as next steps, or else those
// of the connections on the spoke's two aliases in the latest snapshot.
import { describe, expect, it } from 'vitest';
import { discover } from '../../../src/main/engine';
import { credentialsToCheck } from '../../../src/main/operations';
import { defaultDesiredState } from '../../../src/shared/domain/desired-state';
import { CREDENTIALS, provisioned, rowsNamed, startHarness } from '../engine/harness';

const NAMES = ['Exchange_Online_Credentials', 'Exchange_Online_Credentials_clientCred'];

describe('credentialsToCheck', () => {
  it('takes the next steps of the latest successful apply, else the credentials the spoke aliases use', async () => {
    const h = await startHarness('fresh');
    const applied = await provisioned(h);
    const discovered = await discover(h.client, { desired: defaultDesiredState() });
    if (!discovered.ok) throw new Error(discovered.message);
    const onInstance = NAMES.map((name) => ({ name, sysId: rowsNamed(h.sim, CREDENTIALS, name)[0]!.sys_id }));

    const fromSnapshot = credentialsToCheck(discovered.snapshot, []);
    expect([...fromSnapshot].sort((a, b) => a.name.localeCompare(b.name))).toEqual(onInstance);

    // The record wins over the snapshot: here it lists one credential only.
    const one = applied.nextSteps.slice(0, 1);
    expect(credentialsToCheck(discovered.snapshot, [{ ...applied, nextSteps: one }])).toEqual(
      one.map((s) => ({ name: s.credentialName, sysId: s.credentialSysId })),
    );
    // A record without next steps (a rollback, an apply that wrote no credential) does not.
    expect(credentialsToCheck(discovered.snapshot, [{ ...applied, nextSteps: [] }])).toEqual(fromSnapshot);
    expect(credentialsToCheck(null, [])).toEqual([]);
  });

  it('only the credentials of connections on the spoke aliases: not another alias, not a bare connection', async () => {
    const h = await startHarness('fresh');
    await provisioned(h);
    const discovered = await discover(h.client, { desired: defaultDesiredState() });
    if (!discovered.ok) throw new Error(discovered.message);
    const { snapshot } = discovered;
    const main = snapshot.aliases.main!;
    const mainConnection = snapshot.connections.find((c) => c.aliasSysId === main.sysId)!;
    const mainCredential = snapshot.credentials.find((c) => c.sysId === mainConnection.credentialSysId)!;
    // The clientCred alias gone, a connection of another integration's alias with a credential of its own,
    // and a connection on the main alias that names no credential.
    const varied = {
      ...snapshot,
      aliases: { ...snapshot.aliases, clientCred: null },
      connections: [
        ...snapshot.connections,
        {
          ...mainConnection,
          sysId: 'other-connection',
          aliasSysId: 'other-alias',
          credentialSysId: 'other-cred',
        },
        { ...mainConnection, sysId: 'bare-connection', credentialSysId: null },
      ],
      credentials: [
        ...snapshot.credentials,
        { ...mainCredential, sysId: 'other-cred', name: 'Other_Credentials' },
      ],
    };

    expect(credentialsToCheck(varied, [])).toEqual([
      { name: mainCredential.name, sysId: mainCredential.sysId },
    ]);
  });
});
