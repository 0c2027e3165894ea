// `--config FILE`: the desired state, validated by the shared schema before anything is sent. Every
// problem is listed at once, each with its field, and the command stops with exit 2.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  defaultDesiredState,
  desiredStateFromConfig,
  formatIssue,
  type DesiredState,
  type FieldIssue,
} from '../../shared/domain/desired-state';
import { ALIASES, aliasKeyByName, type AliasKey } from '../../shared/servicenow/spoke';
import { usageError } from './exit-codes';

export interface LoadedDesiredState {
  desired: DesiredState;
  /** Warnings and notes (never errors: those stop the command). */
  notes: FieldIssue[];
}

export async function loadDesiredState(
  configPath: string | undefined,
  cwd: string,
  now: Date = new Date(),
): Promise<LoadedDesiredState> {
  if (!configPath) return { desired: defaultDesiredState(), notes: [] };
  const file = resolve(cwd, configPath);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw usageError(
      code === 'ENOENT'
        ? `Config file ${file} does not exist.`
        : `Config file ${file} cannot be read (${code}).`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw usageError(`Config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return desiredFromRaw(raw, file, now);
}

/** `now` decides whether `entra.secretExpires` is in the past. */
export function desiredFromRaw(raw: unknown, source: string, now: Date = new Date()): LoadedDesiredState {
  const { desired, issues } = desiredStateFromConfig(raw, now);
  const errors = issues.filter((i) => i.severity === 'error');
  if (!desired || errors.length) {
    const listed = errors.length ? errors : issues;
    const where = formIndexes(raw);
    throw usageError(`Config file ${source} has ${listed.length} problem${listed.length === 1 ? '' : 's'}:`, [
      ...listed.map((i) => `  - ${locate(i, where)}`),
      'The format, with every field and what it accepts: `spokesmith schema` (a JSON Schema).',
    ]);
  }
  return { desired, notes: issues };
}

/** Which entry of `connections` holds each form, to say where in the file a field's problem is. */
function formIndexes(raw: unknown): Map<AliasKey, number> {
  const where = new Map<AliasKey, number>();
  const list = (raw as { connections?: unknown } | null)?.connections;
  if (!Array.isArray(list)) return where;
  list.forEach((entry: unknown, index) => {
    const alias = (entry as { alias?: unknown } | null)?.alias;
    const key = typeof alias === 'string' ? aliasKeyByName(alias) : undefined;
    if (key && !where.has(key)) where.set(key, index);
  });
  return where;
}

/** The keys validateEntraApp refuses because they would carry the client secret. */
const SECRET_FIELD = /^entra\.(clientSecret|secret|client_secret)$/;

function locate(issue: FieldIssue, where: Map<AliasKey, number>): string {
  if (SECRET_FIELD.test(issue.field)) {
    // A file is read by anyone who can read the folder, and ends up in git: say where the secret goes.
    return (
      `${issue.field}: the client secret does not go in the config file. Set ENTRA_CLIENT_SECRET, or ` +
      'run on a terminal to be asked (hidden); Spokesmith keeps it in the OS keychain.'
    );
  }
  const index = issue.form ? where.get(issue.form) : undefined;
  if (!issue.form || index === undefined) return formatIssue(issue);
  return `connections[${index}].${issue.field} (${ALIASES[issue.form].name}): ${issue.message}`;
}
