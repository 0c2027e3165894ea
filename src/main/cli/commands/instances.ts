// `spokesmith instances list|add|remove|import|export`: the workspace's instance list. Secrets never go
// into the workspace or an exported file: `add` verifies the password with one authenticated call, then
// stores it in the OS keychain (and says plainly when there is no keychain to store it in).
import { resolve } from 'node:path';
import { normalizeWorkspaceUrl } from '../../../shared/workspace/instance-id';
import { failureOf, removeInstance, saveInstance } from '../../operations';
import { secretExpiry } from '../../../shared/domain/walkup-status';
import type { InstanceRecord, Workspace } from '../../workspace';
import { exportInstancesFile, importInstancesFile, type ListFormat } from '../../workspace/transfer';
import type { CommandContext } from '../context';
import { parseVars } from '../desired-source';
import { CliFailure, EXIT, usageError, type ExitCode } from '../exit-codes';
import { workspaceOf } from '../instance-target';
import { renderTable } from '../output/text-table';
import { askHidden, canPrompt } from '../prompt';

interface Globals {
  workspace?: string;
}

/** A problem in an imported file: CSV row (header = 1) or JSON position; row 0 is the file itself. */
export interface TransferProblem {
  row: number;
  field: string;
  message: string;
}

const openWorkspace = (ctx: CommandContext, options: Globals) => workspaceOf(ctx, options.workspace);

export async function instancesListCommand(
  ctx: CommandContext,
  options: Globals & { json?: boolean },
): Promise<ExitCode> {
  const workspace = await openWorkspace(ctx, options);
  const instances = workspace.instances.list();
  const now = ctx.now();
  const expiryOf = (i: InstanceRecord) => secretExpiry(knownSecretExpiry(workspace, i), now);
  if (options.json) {
    ctx.json({
      instances: instances.map((i) => {
        const expiry = expiryOf(i);
        return {
          ...instanceJson(i),
          ...(expiry
            ? {
                secretExpires: expiry.expiresOn,
                secretExpiresInDays: expiry.daysLeft,
                secretExpiryWarning: expiry.warn,
              }
            : {}),
        };
      }),
    });
    return EXIT.ok;
  }
  if (!instances.length) {
    ctx.out('No saved instances yet. Add one: spokesmith instances add NAME --url URL --user USER');
    return EXIT.ok;
  }
  const expiries = instances.map(expiryOf);
  const withExpiry = expiries.some(Boolean);
  for (const line of renderTable(
    ['name', 'url', 'user', 'auth', 'template', 'status', ...(withExpiry ? ['entra secret'] : [])],
    instances.map((i, index) => [
      i.name,
      i.url,
      i.username,
      i.authMethod,
      i.template ?? '',
      i.status.replace('_', ' '),
      ...(withExpiry ? [expiries[index]?.message ?? ''] : []),
    ]),
  ))
    ctx.out(line);
  return EXIT.ok;
}

/**
 * The client secret's expiry where the workspace knows it: the instance's template, rendered with its
 * variables, gives `entra.secretExpires` (a template that does not render says nothing here; plan and
 * apply report its problems).
 */
function knownSecretExpiry(workspace: Workspace, instance: InstanceRecord): string | undefined {
  if (!instance.template) return undefined;
  // Rendered as of the epoch, so an expiry already past is still known (and listed as expired).
  const rendered = workspace.templates.render(instance.template, { ...instance.variables }, new Date(0));
  return rendered.ok ? rendered.desired.entra?.secretExpires : undefined;
}

export interface AddOptions extends Globals {
  url?: string;
  user?: string;
  auth?: string;
  clientId?: string;
  template?: string;
  var?: string[];
}

export async function instancesAddCommand(
  ctx: CommandContext,
  name: string,
  options: AddOptions,
): Promise<ExitCode> {
  const workspace = await openWorkspace(ctx, options);
  const problems: string[] = [];
  const label = name.trim();
  if (!label) problems.push('  - NAME: give the instance a name (e.g. "Acme Dev").');
  const url = options.url ? normalizeWorkspaceUrl(options.url) : null;
  if (!options.url) problems.push('  - --url: required (e.g. https://acme.service-now.com).');
  else if (!url)
    problems.push(`  - --url: "${options.url}" is not an instance URL (https://<name>.service-now.com).`);
  const username = options.user?.trim() ?? '';
  if (!username) problems.push('  - --user: required (the ServiceNow user name, an admin).');
  const authMethod = options.auth === 'oauth' ? 'oauth' : 'basic';
  if (options.auth !== undefined && options.auth !== 'basic' && options.auth !== 'oauth') {
    problems.push(`  - --auth: "${options.auth}" is not basic or oauth.`);
  }
  if (authMethod === 'oauth' && !options.clientId)
    problems.push('  - --client-id: required with --auth oauth.');
  const { vars, problems: varProblems } = parseVars(options.var);
  problems.push(...varProblems);
  if (options.template && !workspace.templates.get(options.template)) {
    problems.push(`  - --template: no template named "${options.template}" (spokesmith templates list).`);
  }
  const sameName = label ? (workspace.instances.get(label) ?? null) : null;
  if (sameName && url && sameName.url !== url) {
    problems.push(
      `  - NAME: "${sameName.name}" is already the name of ${sameName.url}; choose another name.`,
    );
  }
  if (problems.length || !url) throw usageError('The instance was not added; nothing was sent:', problems);

  const password = await secretFrom(ctx, 'SN_PASSWORD', `Password for ${username} on ${url}: `, 'password');
  const clientSecret =
    authMethod === 'oauth'
      ? await secretFrom(
          ctx,
          'SN_SECRET_ID',
          `OAuth client secret for ${options.clientId}: `,
          'client secret',
        )
      : undefined;
  // Same URL as a saved instance: that entry is updated (renamed), not duplicated; its variables merged.
  const existing = sameName ?? workspace.instances.list().find((i) => i.url === url) ?? null;
  const secrets = await ctx.secrets();
  let saved;
  try {
    // Verified with one authenticated call BEFORE anything is stored: a wrong password is never saved.
    saved = await saveInstance(
      {
        name: label,
        url,
        authMethod,
        username,
        ...(options.clientId ? { clientId: options.clientId } : {}),
        password,
        ...(clientSecret ? { clientSecret } : {}),
        ...(Object.keys(vars).length ? { variables: { ...existing?.variables, ...vars } } : {}),
        ...(options.template ? { template: options.template } : {}),
      },
      { workspace, secrets: secrets.store, sameUrl: 'update', now: () => new Date() },
    );
  } catch (error) {
    const failure = failureOf(error);
    if (!failure) throw error;
    throw new CliFailure(EXIT.failed, `${label} was not added: ${failure.message}`);
  }
  const who = saved.verified!;
  const { instance } = saved;
  // Said as the app says it ("Connected as admin. Roles: admin."): "as admin (admin)" read as a repeat.
  ctx.out(
    `Signed in to ${url} as ${who.userName}${who.roles.includes('admin') ? ', with the admin role' : ''}.`,
  );
  if (!who.roles.includes('admin')) {
    ctx.err(ctx.style.yellow('warning: this user does not have the admin role; provisioning needs it.'));
  }
  const verb = saved.created ? 'Added' : 'Updated';
  if (secrets.available) {
    ctx.out(`${verb} "${instance.name}"; the password is stored in the OS keychain.`);
  } else {
    ctx.out(`${verb} "${instance.name}" (${instance.url}).`);
    ctx.out(
      ctx.style.yellow(
        `The password was NOT stored: ${secrets.message} ` +
          `Set SN_PASSWORD${authMethod === 'oauth' ? ' and SN_SECRET_ID' : ''} when you use "${instance.name}".`,
      ),
    );
  }
  return EXIT.ok;
}

/** An instance as --json lists it: never a secret (there is none in the workspace). */
function instanceJson(i: ReturnType<Workspace['instances']['list']>[number]) {
  return {
    id: i.id,
    name: i.name,
    url: i.url,
    authMethod: i.authMethod,
    username: i.username,
    ...(i.clientId ? { clientId: i.clientId } : {}),
    ...(i.variables ? { variables: { ...i.variables } } : {}),
    ...(i.template ? { template: i.template } : {}),
    status: i.status,
  };
}

async function secretFrom(
  ctx: CommandContext,
  variable: string,
  question: string,
  what: string,
): Promise<string> {
  const fromEnv = ctx.io.env[variable];
  if (fromEnv) return fromEnv;
  if (!canPrompt(ctx.io)) {
    throw usageError(
      `No ${what}: set ${variable}, or run on a terminal to be asked. Nothing was sent or saved.`,
    );
  }
  const typed = await askHidden(ctx.io, question);
  if (!typed) throw usageError(`A ${what} is required. Nothing was sent or saved.`);
  return typed;
}

export async function instancesRemoveCommand(
  ctx: CommandContext,
  name: string,
  options: Globals,
): Promise<ExitCode> {
  const workspace = await openWorkspace(ctx, options);
  const saved = workspace.instances.get(name);
  if (!saved) throw usageError(`No saved instance is named "${name}" (spokesmith instances list).`);
  const secrets = await ctx.secrets();
  const { forgot: removed } = await removeInstance(workspace, secrets.store, saved.id);
  const forgot = secrets.available && removed;
  ctx.out(
    `Removed "${saved.name}" from the workspace${forgot ? ' and its password from the OS keychain' : ''}. ` +
      'Its apply history stays in the workspace folder.',
  );
  return EXIT.ok;
}

export async function instancesImportCommand(
  ctx: CommandContext,
  file: string,
  options: Globals & { format?: string },
): Promise<ExitCode> {
  const format = listFormat(options.format);
  const path = resolve(ctx.io.cwd, file);
  const workspace = await openWorkspace(ctx, options);
  const result = await readingFile(path, async () => {
    // A dry run first: a file with any problem imports nothing, so it can be fixed and imported again.
    const check = await importInstancesFile(workspace, path, { ...(format ? { format } : {}), dryRun: true });
    const done =
      check.refused || check.errors.length
        ? check
        : await importInstancesFile(workspace, path, format ? { format } : {});
    return { ...done, problems: done.errors };
  });
  if (result.refused || result.problems.length) {
    throw usageError(
      `${file} was not imported (nothing was changed): ${result.refused ?? `${result.problems.length} problem(s)`}`,
      result.refused ? [] : result.problems.map(problemLine),
    );
  }
  ctx.out(
    `Imported ${file}: ${result.added.length} added, ${result.updated.length} updated, ` +
      `${result.unchanged.length} unchanged. Passwords are not in the file: add them with ` +
      '"spokesmith instances add" or SN_PASSWORD.',
  );
  return EXIT.ok;
}

export async function instancesExportCommand(
  ctx: CommandContext,
  file: string,
  options: Globals & { format?: string },
): Promise<ExitCode> {
  const format = listFormat(options.format);
  const path = resolve(ctx.io.cwd, file);
  const count = await exportInstancesFile(await openWorkspace(ctx, options), path, format);
  ctx.out(`Exported ${count} instance(s) to ${path} (no passwords or secrets).`);
  return EXIT.ok;
}

export function listFormat(format: string | undefined): ListFormat | undefined {
  if (format === undefined) return undefined;
  const lower = format.toLowerCase();
  if (lower === 'csv' || lower === 'json') return lower;
  throw usageError(`--format: "${format}" is not csv or json.`);
}

export function problemLine(p: TransferProblem): string {
  return p.row === 0 ? `  - file: ${p.message}` : `  - row ${p.row}, field ${p.field}: ${p.message}`;
}

/** A file that cannot be read is bad usage (exit 2), named in plain words. */
export async function readingFile<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw usageError(`${path} does not exist.`);
    if (code === 'EISDIR' || code === 'EACCES') throw usageError(`${path} cannot be read (${code}).`);
    throw error;
  }
}
