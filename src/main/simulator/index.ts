// The embedded ServiceNow instance: an in-process node:http simulator of everything Spokesmith touches on
// an instance (Table API, Batch API, OAuth password grant, sessions, ACLs, domains, business rules,
// faults). It is the app's demo instance, the target of `spokesmith sim` and the server of the
// integration and end-to-end tests. This file only wires the parts together.
//
// Demo credentials (fixed and public: this is a local demo/test instance): admin `admin` /
// `spokesmith-demo`; non-admin `walkup.agent` / `spokesmith-demo`; OAuth client `spokesmith-demo-client` /
// `spokesmith-demo-secret`. It also stands in for Microsoft Entra ID (`/entra/<tenant>/oauth2/v2.0/token`,
// see entra/token-endpoint.ts), with a demo Entra app whose tenant, client ID and secret are in
// entra/app.ts and Simulator.entraApp.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimCore } from './core';
import { handleRequest, send } from './http/handler';
import { failure } from './http/response';
import { DEMO_ADMIN, DEMO_NON_ADMIN, DEMO_OAUTH_CLIENT } from './auth/credentials';
import { DEMO_ENTRA_APP } from './entra-stand-in/app';
import type { Simulator, SimulatorOptions } from './types';

export { SCENARIOS, ENTRA_FAULTS } from './types';
export type {
  EntraAppConfig,
  EntraAppView,
  EntraFault,
  FaultController,
  FaultListEntry,
  FaultMatch,
  FaultSpec,
  RequestLogEntry,
  ScenarioName,
  SimUser,
  Simulator,
  SimulatorOptions,
} from './types';
export type { SimDatabase, Row } from './db/database';
export { secretState, type SecretState } from './auth/secrets';
export { spokeIds, SPOKE_VERSION } from './scenarios/spoke';
export { flowId } from './scenarios/walkup';

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The demo Entra app's public values as options.entra changed them (the secret included: it is the demo's). */
function demoEntraApp(url: string, options: SimulatorOptions): Simulator['entraApp'] {
  const { tenantId, tenantDomain, clientId, clientSecret } = { ...DEMO_ENTRA_APP, ...options.entra };
  return { authority: `${url}/entra`, tenantId, tenantDomain, clientId, clientSecret };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const core = new SimCore(options);
  const server = createServer((req, res) => {
    handleRequest(core, req, res).catch(() => {
      // Never crash on a bad request: answer 500 if still possible.
      send(res, failure(500, 'Internal Server Error', 'The simulator failed to handle the request'));
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  const host = options.host ?? '127.0.0.1';
  const address = await listen(server, options.port ?? 0, host);
  const url = `http://${urlHost(host)}:${address.port}`;
  await core.start(url);

  let closed: Promise<void> | null = null;
  return {
    url,
    users: { admin: { ...DEMO_ADMIN }, nonAdmin: { ...DEMO_NON_ADMIN } },
    oauthClient: { ...DEMO_OAUTH_CLIENT },
    entraApp: demoEntraApp(url, options),
    configureEntra: (patch) => core.entra.configure(patch),
    get log() {
      return core.log;
    },
    clearLog: () => void (core.log.length = 0),
    faults: core.faults,
    db: core.db,
    get sessionsCreated() {
      return core.sessions.count;
    },
    get scenario() {
      return core.scenario;
    },
    get stateFileProblem() {
      return core.stateFileProblem;
    },
    reset: (scenario) => core.reset(scenario),
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => core.flush());
      return closed;
    },
  };
}
