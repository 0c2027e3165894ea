// Drafts: the two forms and the Entra app as the user typed them, valid or not, kept per instance so
// nothing typed is lost. The Entra client secret is never part of a draft (it is in the keychain).
import { z } from 'zod';
import {
  defaultDesiredState,
  validateDesiredState,
  type DesiredState,
  type FieldIssue,
} from '../../shared/domain/desired-state';
import { entraDraftFields, entraInputOf, isEntraDraftEmpty } from '../../shared/domain/entra-draft';
import type { DraftSavedView, DraftView } from '../../shared/ipc/contract';
import type { Draft } from '../../shared/workspace/schemas';
import { AppError } from '../ipc/errors';
import { draftRevision, WorkspaceConflictError, WorkspaceInputError } from '../workspace';
import type { AppContext } from './context';

/** A form as typed: any field may be missing or wrong. */
export type DraftForm = Record<string, string | boolean | number | string[] | null>;

const DraftFormSchema = z.record(
  z.string().max(64),
  z.union([z.string().max(4096), z.boolean(), z.number(), z.array(z.string().max(256)).max(64), z.null()]),
);

/**
 * The Entra card as typed: exactly these three texts, so a secret (or anything else) cannot slip into the
 * shareable draft file by a renderer bug.
 */
const EntraDraftSchema = z
  .object({
    tenant: z.string().max(256),
    clientId: z.string().max(256),
    secretExpires: z.string().max(32),
  })
  .strict();

export async function getDraft(ctx: AppContext, id: string): Promise<DraftView> {
  await ctx.requireInstance(id);
  const draft = await ctx.workspace().drafts.get(id);
  if (!draft) {
    const defaults = defaultDesiredState();
    return {
      main: defaults.main,
      clientCred: defaults.clientCred,
      entra: null,
      updatedAt: null,
      revision: null,
    };
  }
  const entra = draft.entra ? entraDraftFields(draft.entra) : null;
  return {
    main: draft.main as DraftView['main'],
    clientCred: draft.clientCred as DraftView['clientCred'],
    entra: entra && !isEntraDraftEmpty(entra) ? entra : null,
    updatedAt: draft.updatedAt,
    revision: draftRevision(draft),
  };
}

export async function saveDraft(
  ctx: AppContext,
  input: { id: string; main: unknown; clientCred: unknown; entra?: unknown; basedOn?: string | null },
): Promise<DraftSavedView> {
  const instance = await ctx.requireInstance(input.id);
  const main = parseForm('main', input.main);
  const clientCred = parseForm('clientCred', input.clientCred);
  // The window always sends the card; absent (an older window) keeps what is stored.
  const entra = input.entra === undefined ? undefined : parseEntra(input.entra);
  const options = input.basedOn === undefined ? undefined : { basedOn: input.basedOn };
  const saved = await invalidAsAppError(
    () => ctx.workspace().drafts.save(input.id, { main, clientCred, entra }, options),
    // The store names the id; the person knows the instance by its name.
    `The forms of ${instance.name} were changed by another process (another window, a template applied) ` +
      'since they were loaded; nothing was saved.',
  );
  return { savedAt: saved.updatedAt, revision: draftRevision(saved)! };
}

/** The card as typed; an empty card is stored as none (null). */
function parseEntra(value: unknown): z.infer<typeof EntraDraftSchema> | null {
  if (value === null) return null;
  const parsed = EntraDraftSchema.safeParse(value);
  if (!parsed.success) {
    throw new AppError(
      'invalid_input',
      'entra: a draft holds only the tenant ID, the client ID and the secret expiry date (the client secret stays in the keychain).',
    );
  }
  return isEntraDraftEmpty(parsed.data) ? null : parsed.data;
}

/** The desired-state input of a saved draft: the two forms and, when one is typed, the Entra app. */
export function draftInput(draft: Draft): { main: unknown; clientCred: unknown; entra?: unknown } {
  const entra = draft.entra ? entraInputOf(entraDraftFields(draft.entra)) : undefined;
  return { main: draft.main, clientCred: draft.clientCred, ...(entra ? { entra } : {}) };
}

/** The desired state to discover with: the saved draft when it is valid, otherwise the procedure's defaults. */
export async function desiredForDiscovery(ctx: AppContext, id: string): Promise<DesiredState> {
  const draft = await ctx.workspace().drafts.get(id);
  if (draft) {
    const { desired } = validateDesiredState(draftInput(draft), ctx.now());
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
  const { desired, issues } = validateDesiredState(draftInput(draft), ctx.now());
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

/**
 * The workspace refuses bad input with WorkspaceInputError: that is the user's input, not a bug. A
 * refusal because another process changed the draft is the code `conflict`, with `conflictMessage`.
 */
async function invalidAsAppError<T>(task: () => Promise<T>, conflictMessage: string): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof WorkspaceConflictError) throw new AppError('conflict', conflictMessage);
    if (error instanceof WorkspaceInputError)
      throw new AppError('invalid_input', error.message, error.issues);
    throw error;
  }
}
