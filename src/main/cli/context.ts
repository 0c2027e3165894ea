// What every command receives: the streams, the output style, and this run's shared handles — one
// Workspace object per folder (two in-memory copies of a file would overwrite each other's changes), the
// keychain opened once and only when needed, and the clients to close when the run ends.
import { config as zodConfig } from 'zod/v4/core';
import { openSecretStore, type OpenedSecretStore } from '../secrets/open-secret-store';
import { createServiceNowClient, type InstanceAuth, type ServiceNowClient } from '../servicenow';
import { openWorkspace, type Workspace } from '../workspace';
import type { CliIo } from './io';
import { useColor, writeLine } from './io';
import { createStyle, type Style } from './output/style';
import { terminalSafeLine } from './output/terminal-text';

export interface CommandContext {
  io: CliIo;
  style: Style;
  out(line?: string): void;
  err(line?: string): void;
  /** Prints a value as one JSON document on stdout. */
  json(value: unknown): void;
  workspaceAt(dir: string): Promise<Workspace>;
  /** Now, from the run's clock (CliIo.now): every date rule of a command asks here, never `new Date()`. */
  now(): Date;
  /** The OS keychain (or this run's memory, SPOKESMITH_SECRET_STORE=memory), opened on first use. */
  secrets(): Promise<OpenedSecretStore>;
  /** A client closed when the run ends (kept-alive sockets would hold the process open). */
  client(instanceUrl: string, auth: InstanceAuth): ServiceNowClient;
  closeAll(): void;
}

// zod compiles each object schema into a faster parser the first time it parses with it. A command parses
// with each schema a few times and exits, so the compiling costs more than it saves: in a CPU profile of an
// up-to-date apply, reading the discovery batch's answer took 12.2 ms with it and 5.1 ms without (issue 11).
// The app keeps the compiled parsers; it runs for hours.
zodConfig({ jitless: true });

export function createContext(io: CliIo): CommandContext {
  const workspaces = new Map<string, Promise<Workspace>>();
  const clients: ServiceNowClient[] = [];
  let secrets: Promise<OpenedSecretStore> | null = null;
  return {
    io,
    style: createStyle(useColor(io)),
    // Text lines may quote an instance or a shared file: no control character reaches the terminal raw.
    out: (line = '') => writeLine(io.stdout, terminalSafeLine(line)),
    err: (line = '') => writeLine(io.stderr, terminalSafeLine(line)),
    json: (value) => writeLine(io.stdout, JSON.stringify(value, null, 2)),
    now: () => (io.now ? io.now() : new Date()),
    workspaceAt(dir) {
      let opened = workspaces.get(dir);
      if (!opened) {
        opened = openWorkspace(dir);
        workspaces.set(dir, opened);
      }
      return opened;
    },
    secrets() {
      secrets ??= io.keychain
        ? Promise.resolve(io.keychain)
        : openSecretStore({ forceMemory: io.env.SPOKESMITH_SECRET_STORE === 'memory' });
      return secrets;
    },
    client(instanceUrl, auth) {
      const client = createServiceNowClient({ instanceUrl, auth });
      clients.push(client);
      return client;
    },
    closeAll() {
      for (const client of clients.splice(0)) client.close();
    },
  };
}

/** Options every instance command accepts. */
export interface CommonOptions {
  workspace?: string;
  config?: string;
  json?: boolean;
}
