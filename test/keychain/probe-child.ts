// Run in a child process by keychain.test.ts: opens the secret store the way the app does and prints the
// outcome as JSON (the child gets an environment where no Secret Service is reachable).
import { openSecretStore } from '../../src/main/secrets/open-secret-store';

const opened = await openSecretStore({ service: 'Spokesmith-probe-test' });
await opened.store.set('acct', 'kept-in-memory');
process.stdout.write(
  JSON.stringify({
    available: opened.available,
    kind: opened.store.kind,
    message: opened.message,
    readBack: await opened.store.get('acct'),
  }),
);
