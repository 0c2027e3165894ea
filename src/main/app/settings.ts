// Machine-local settings in userData (never in the workspace, which a team may share through git): which
// folder the workspace is in, and which Entra authority the Entra app check asks (a consultant behind a
// sovereign cloud or a test tenant's stand-in sets it once per computer).
import { join } from 'node:path';
import { z } from 'zod';
import { LEAVE_IN_PLACE, readVersioned, type FileProblem, type FileSpec } from '../storage/json-file';
import { updateVersioned } from '../storage/update-file';

export interface AppSettings {
  /** An absolute folder; null for the default workspace in userData. */
  workspaceDir: string | null;
  /** Where the Entra check asks for a token; null (or absent) for https://login.microsoftonline.com. */
  entraAuthority?: string | null;
}

const SettingsSchema = z
  .object({
    workspaceDir: z.string().min(1).nullable(),
    // Optional: settings files written before issue 10 have no such key.
    entraAuthority: z.string().min(1).nullable().optional(),
  })
  .strict();

const settingsSpec: FileSpec<AppSettings> = {
  kind: 'spokesmith.settings',
  version: 1,
  schema: SettingsSchema,
};

export const settingsFile = (userDataDir: string) => join(userDataDir, 'settings.json');

/** The settings, or the defaults; a bad file is left in place and reported like a workspace file. */
export async function loadSettings(
  userDataDir: string,
): Promise<{ settings: AppSettings; problem: FileProblem | null }> {
  const read = await readVersioned(settingsFile(userDataDir), settingsSpec, LEAVE_IN_PLACE);
  if (read.ok) return { settings: read.value, problem: null };
  return { settings: { workspaceDir: null }, problem: read.missing ? null : read.problem };
}

/** Changed under the file's lock, on the settings as they are on disk (another window may have saved). */
export async function saveSettings(userDataDir: string, settings: Partial<AppSettings>): Promise<void> {
  await updateVersioned(
    settingsFile(userDataDir),
    settingsSpec,
    (current) => ({ workspaceDir: null, ...current, ...settings }),
    { root: userDataDir },
  );
}
