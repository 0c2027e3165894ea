// Drafts: the two forms as the user typed them, valid or not, kept per instance so nothing typed is lost.
import { z } from 'zod';
import {
  defaultDesiredState,
  validateDesiredState,
  type DesiredState,
  type FieldIssue,
} from '../../shared/domain/desired-state';
import type { DraftView } from '../../shared/ipc/contract';
import { AppError } from '../ipc/errors';
import { WorkspaceInputError } from '../workspace';
import type { AppContext } from './context';

/** A form as typed: any field may be missing or wrong. */
export type DraftForm = Record<string, string | boolean | number | string[] | null>;

const DraftFormSchema = z.record(
  z.string().max(64),
  z.union([z.string().max(4096), z.boolean(), z.number(), z.array(z.string().max(256)).max(64), z.null()]),
);

export async function getDraft(ctx: AppContext, id: string): Promise<DraftView> {
  await ctx.requireInstance(id);
  const draft = await ctx.workspace().drafts.get(id);
  if (!draft) {
    const defaults = defaultDesiredState();
    return { main: defaults.main, clientCred: defaults.clientCred, updatedAt: null };
  }
  return {
    main: draft.main as DraftView['main'],
    clientCred: draft.clientCred as DraftView['clientCred'],
    updatedAt: draft.updatedAt,
  };
}

export async function saveDraft(
  ctx: AppContext,
  input: { id: string; main: unknown; clientCred: unknown },
): Promise<{ savedAt: string }> {
  await ctx.requireInstance(input.id);
  const main = parseForm('main', input.main);
  const clientCred = parseForm('clientCred', input.clientCred);
  const saved = await invalidAsAppError(() => ctx.workspace().drafts.save(input.id, { main, clientCred }));
  return { savedAt: saved.updatedAt };
}

/** The desired state to discover with: the saved draft when it is valid, otherwise the procedure's defaults. */
export async function desiredForDiscovery(ctx: AppContext, id: string): Promise<DesiredState> {
  const draft = await ctx.workspace().drafts.get(id);
  if (draft) {
    const { desired } = validateDesiredState({ main: draft.main, clientCred: draft.clientCred });
    if (desired) return desired;
  }
  return defaultDesiredState();
}

/**
 * The desired state to apply to an instance in a fleet run: its saved draft, or the procedure's defaults
 * when it has none. Unlike discovery, a draft with errors is NOT replaced by the defaults: the user typed
 * something else, so nothing is applied until they fix it.
 */
export async function desiredForApply(
  ctx: AppContext,
  id: string,
): Promise<{ desired: DesiredState | null; issues: FieldIssue[]; source: 'draft' | 'defaults' }> {
  const draft = await ctx.workspace().drafts.get(id);
  if (!draft) return { desired: defaultDesiredState(), issues: [], source: 'defaults' };
  const { desired, issues } = validateDesiredState({ main: draft.main, clientCred: draft.clientCred });
  const blocking = issues.some((i) => i.severity === 'error');
  return { desired: blocking ? null : (desired ?? null), issues, source: 'draft' };
}

function parseForm(name: string, value: unknown): DraftForm {
  const parsed = DraftFormSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError('invalid_input', `${name}: a draft holds only text, numbers, check boxes and lists.`);
  }
  return parsed.data;
}

/** The workspace refuses bad input with WorkspaceInputError: that is the user's input, not a bug. */
async function invalidAsAppError<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof WorkspaceInputError)
      throw new AppError('invalid_input', error.message, error.issues);
    throw error;
  }
}
