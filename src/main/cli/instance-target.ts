// Resolves what the user typed as <instance> into where its files live and how to reach it:
// - a saved instance (by id or name, from the workspace), its secret from the OS keychain;
// - an instance URL, its user and password from SN_USERNAME / SN_PASSWORD (the convention of ServiceNow's
//   Ansible collection; SN_CLIENT_ID / SN_SECRET_ID add OAuth), or a hidden prompt on a terminal.
// Locating never sends anything; connecting may prompt. Both refuse with exit 2 and a clear message.
import { resolve } from 'node:path';
import { normalizeWorkspaceUrl } from '../../shared/workspace/instance-id';
import { readSecretsFor, type InstanceAuth } from '../operations';
import type { ServiceNowClient } from '../servicenow';
import { defaultWorkspaceDir, instanceIdFromUrl, type InstanceRecord, type Workspace } from '../workspace';
import type { CommandContext } from './context';
import { CliFailure, EXIT, usageError } from './exit-codes';
import type { CliIo } from './io';
import { askHidden, askVisible, canPrompt } from './prompt';

export interface InstanceTarget {
  /** Workspace id: the saved instance's id, or the id derived from the URL. */
  id: string;
  /** How it is named in output: the saved name, or the URL. */
  label: string;
  url: string;
  /** The instance's folder in the workspace: applies, journals and reports live here. */
  dir: string;
  saved: InstanceRecord | null;
  /** The workspace it was found in: its snapshot, status and journals are kept there. */
  workspace: Workspace;
}

export function workspaceDirOf(io: CliIo, option: string | undefined): string {
  const chosen = option ?? io.env.SPOKESMITH_WORKSPACE;
  return chosen ? resolve(io.cwd, chosen) : defaultWorkspaceDir(io.env);
}

/** The workspace of this run (--workspace, SPOKESMITH_WORKSPACE or the default folder). */
export function workspaceOf(ctx: CommandContext, option: string | undefined): Promise<Workspace> {
  return ctx.workspaceAt(workspaceDirOf(ctx.io, option));
}

const looksLikeUrl = (text: string) => text.includes('://') || text.includes('.') || text.includes(':');

/**
 * Opens the workspace and finds one instance, or fails with exit 2 listing why, under `headline` (nothing
 * has been sent). For commands that need the instance and nothing else to start.
 */
export async function requireInstance(
  ctx: CommandContext,
  input: string,
  workspaceOption: string | undefined,
  headline: string,
): Promise<InstanceTarget> {
  const workspace = await workspaceOf(ctx, workspaceOption);
  const located = locateInstance(workspace, input);
  if (!located.target)
    throw usageError(
      headline,
      located.problems.map((p) => `  - ${p}`),
    );
  return located.target;
}

/**
 * Returns the target, or a list of problems (so the caller can report them together with config
 * problems, and send nothing).
 */
export function locateInstance(
  workspace: Workspace,
  input: string,
): { target?: InstanceTarget; problems: string[] } {
  const text = input.trim();
  if (!text) return { problems: ['instance: give a saved instance name or an instance URL.'] };
  const saved = workspace.instances.get(text);
  if (saved) {
    return {
      target: {
        id: saved.id,
        label: saved.name,
        url: saved.url,
        dir: workspace.instanceDir(saved.id),
        saved,
        workspace,
      },
      problems: [],
    };
  }
  if (!looksLikeUrl(text)) {
    return {
      problems: [
        `instance: no saved instance is named "${text}" in this workspace; give its URL instead ` +
          `(e.g. https://${text.toLowerCase()}.service-now.com).`,
      ],
    };
  }
  const url = normalizeWorkspaceUrl(text);
  if (!url) {
    const http = /^http:\/\//i.test(text);
    return {
      problems: [
        http
          ? `instance: ${text} does not use https; ServiceNow instances are reached over https only ` +
            '(plain http is accepted for 127.0.0.1/localhost, e.g. the simulator).'
          : `instance: "${text}" is not an instance URL.`,
      ],
    };
  }
  const id = instanceIdFromUrl(url);
  return {
    target: { id, label: url, url, dir: workspace.instanceDir(id), saved: null, workspace },
    problems: [],
  };
}

export interface Connection {
  client: ServiceNowClient;
  userName: string;
}

/** Gathers the credentials and builds the client. Prompts only on a terminal; never echoes a secret. */
export async function connectInstance(ctx: CommandContext, target: InstanceTarget): Promise<Connection> {
  const auth = target.saved ? await savedAuth(ctx, target.saved) : await urlAuth(ctx.io, target);
  return { client: ctx.client(target.url, auth), userName: auth.username };
}

async function urlAuth(io: CliIo, target: InstanceTarget): Promise<InstanceAuth> {
  let username = io.env.SN_USERNAME?.trim() || '';
  let password = io.env.SN_PASSWORD || '';
  if (!username || !password) {
    if (!canPrompt(io)) {
      throw usageError(
        `No credentials for ${target.url}: set SN_USERNAME and SN_PASSWORD, or run on a terminal to be asked.`,
      );
    }
    if (!username) username = (await askVisible(io, `User name for ${target.url}: `)).trim();
    if (!password) password = await askHidden(io, `Password for ${username}: `);
    if (!username || !password) throw usageError('A user name and a password are required.');
  }
  const clientId = io.env.SN_CLIENT_ID?.trim();
  const clientSecret = io.env.SN_SECRET_ID;
  if (clientId && clientSecret) return { kind: 'oauth', clientId, clientSecret, username, password };
  return { kind: 'basic', username, password };
}

async function savedAuth(ctx: CommandContext, saved: InstanceRecord): Promise<InstanceAuth> {
  const { io } = ctx;
  const secrets = await ctx.secrets();
  // Stored secrets go only to the origin they were stored for (a keychain error says why otherwise).
  const stored = secrets.available ? await readSecretsFor(secrets.store, saved) : null;
  // SN_PASSWORD overrides the keychain, for machines without one (CI, SSH sessions).
  let password = io.env.SN_PASSWORD || stored?.password || '';
  if (!password) {
    if (!canPrompt(io)) {
      throw usageError(
        `No password for "${saved.name}": ${secrets.available ? 'none is stored in the OS keychain' : secrets.message} ` +
          'Set SN_PASSWORD, or run on a terminal to be asked.',
      );
    }
    password = await askHidden(io, `Password for ${saved.username} on ${saved.name}: `);
    if (!password) throw usageError('A password is required.');
  }
  if (saved.authMethod === 'oauth') {
    const clientId = saved.clientId ?? io.env.SN_CLIENT_ID;
    const clientSecret = io.env.SN_SECRET_ID || stored?.clientSecret;
    if (!clientId || !clientSecret) {
      throw new CliFailure(
        EXIT.usage,
        `"${saved.name}" uses OAuth but its client id or secret is missing: set SN_CLIENT_ID and SN_SECRET_ID.`,
      );
    }
    return { kind: 'oauth', clientId, clientSecret, username: saved.username, password };
  }
  return { kind: 'basic', username: saved.username, password };
}
