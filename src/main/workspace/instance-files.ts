// The per-instance files Spokesmith itself writes (draft, latest snapshot, latest plan), read on demand.
// A file that cannot be used is left in place, added to the workspace's problems and reads as absent;
// a save never replaces it (FileProblemError).
//
// The draft is shared (the app's forms, a template applied from another window or process, a
// teammate's scripts): it is changed under its file's lock (src/main/storage/update-file.ts) and a save
// from an editor is checked against the revision the editor read. Snapshots and plans are machine-local
// and always replaced whole by the operation that made them, so a plain atomic write is enough.
import type { FileProblem, FileSpec } from '../storage/json-file';
import { LEAVE_IN_PLACE, readVersioned, writeVersioned } from '../storage/json-file';
import { updateVersioned } from '../storage/update-file';
import type { Plan } from '../../shared/domain/plan';
import type { Snapshot } from '../../shared/domain/snapshot';
import { DraftFormSchema, type Draft } from '../../shared/workspace/schemas';
import * as z from 'zod/mini';
import { parseInput, WorkspaceConflictError } from './errors';
import { draftSpec, planSpec, snapshotSpec } from './file-specs';
import type { WorkspaceLayout } from './paths';
import { setProblem } from './instances-store';
import { revisionOf, sameJson, sortKeysDeep } from './stable-json';

export interface DraftsApi {
  get(id: string): Promise<Draft | null>;
  /**
   * Saves the forms as typed: a draft may be incomplete or invalid. Unchanged forms keep their timestamp.
   * `entra` (the Entra app as typed, never its secret): undefined keeps the stored one — so a caller that
   * knows only the two forms (a template being applied) loses nothing typed — and null removes it.
   *
   * With `basedOn` (what an editor read: the draft's revision, or null when there was none) the save is
   * refused with WorkspaceConflictError, writing nothing, when the stored draft is no longer that one.
   * Without it (a template applied) the forms replace the stored ones. Either way the change is made to
   * the file as it is on disk, under its lock.
   */
  save(
    id: string,
    forms: { main: unknown; clientCred: unknown; entra?: unknown },
    options?: { basedOn: string | null },
  ): Promise<Draft>;
}

/** What a draft editor sends back as `basedOn` (null: no draft stored). */
export function draftRevision(draft: Draft | null): string | null {
  return draft ? revisionOf(draft) : null;
}

export interface SnapshotsApi {
  latest(id: string): Promise<Snapshot | null>;
  save(id: string, snapshot: Snapshot): Promise<void>;
}

export interface PlansApi {
  latest(id: string): Promise<Plan | null>;
  save(id: string, plan: Plan): Promise<void>;
}

const DraftFormsSchema = z.object({
  main: DraftFormSchema,
  clientCred: DraftFormSchema,
  entra: z.optional(DraftFormSchema),
});

export function createInstanceFiles(
  layout: WorkspaceLayout,
  problems: FileProblem[],
  now: () => Date,
  onDiscovered: (id: string, at: string) => Promise<void>,
): { drafts: DraftsApi; snapshots: SnapshotsApi; plans: PlansApi } {
  const inside = { root: layout.dir };
  async function read<T>(file: string, spec: FileSpec<T>): Promise<T | null> {
    const result = await readVersioned(file, spec, LEAVE_IN_PLACE);
    if (result.ok) return result.value;
    if (!result.missing) setProblem(problems, file, result.problem);
    return null;
  }

  return {
    drafts: {
      get: (id) => read(layout.draftFile(id), draftSpec),
      async save(id, forms, options) {
        let refused = false as boolean;
        const stored = await updateVersioned(
          layout.draftFile(id),
          draftSpec,
          (previous) => {
            // Under the lock, against the file as it is now: no other process's save slips in between
            // the check and the write, and the kept Entra part is the one stored now, not an older read.
            refused = options !== undefined && draftRevision(previous) !== options.basedOn;
            if (refused) return undefined;
            const entra = forms.entra === undefined ? previous?.entra : (forms.entra ?? undefined);
            const parsed = parseInput(
              DraftFormsSchema,
              dropUndefined({ main: forms.main, clientCred: forms.clientCred, entra }),
              'Draft',
            );
            if (previous && sameJson({ ...previous, updatedAt: '' }, { ...parsed, updatedAt: '' }))
              return undefined;
            return sortKeysDeep({ ...parsed, updatedAt: now().toISOString() });
          },
          inside,
        );
        if (refused) throw draftConflict(id, stored !== null);
        return stored!;
      },
    },
    snapshots: {
      latest: (id) => read(layout.snapshotFile(id), snapshotSpec),
      async save(id, snapshot) {
        await writeVersioned(layout.snapshotFile(id), snapshotSpec, sortKeysDeep(snapshot), inside);
        await onDiscovered(id, snapshot.discoveredAt);
      },
    },
    plans: {
      latest: (id) => read(layout.planFile(id), planSpec),
      save: (id, plan) => writeVersioned(layout.planFile(id), planSpec, sortKeysDeep(plan), inside),
    },
  };
}

function draftConflict(id: string, exists: boolean): WorkspaceConflictError {
  return new WorkspaceConflictError(
    `The draft of instance "${id}" was ${exists ? 'changed' : 'removed'} by another process since it ` +
      'was loaded; nothing was saved.',
  );
}

/** Form values the renderer leaves undefined are not stored (JSON cannot hold them anyway). */
function dropUndefined(forms: { main: unknown; clientCred: unknown; entra?: unknown }) {
  const clean = (form: unknown) =>
    form && typeof form === 'object'
      ? Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined))
      : form;
  return {
    main: clean(forms.main),
    clientCred: clean(forms.clientCred),
    ...(forms.entra !== undefined ? { entra: clean(forms.entra) } : {}),
  };
}
