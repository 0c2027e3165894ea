// Starts the embedded simulator as the app's demo instance, its records kept in userData between runs.
import { startSimulator } from '../simulator';
import type { DemoHandle } from './demo';

export async function startDemoSimulator(options: { stateFile: string }): Promise<DemoHandle> {
  // The 'fresh' scenario: the spoke is installed and nothing is provisioned yet, so every step is there to try.
  const sim = await startSimulator({ scenario: 'fresh', stateFile: options.stateFile, port: 0 });
  return {
    url: sim.url,
    username: sim.users.admin.userName,
    password: sim.users.admin.password,
    entra: {
      authority: sim.entraApp.authority,
      tenant: sim.entraApp.tenantId,
      clientId: sim.entraApp.clientId,
      secret: sim.entraApp.clientSecret,
    },
    close: () => sim.close(),
  };
}
