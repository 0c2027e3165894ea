// Machine-local settings in userData (never in the workspace, which a team may share through git): for
// now only which folder the workspace is in.
import { join } from 'node:path';
import { z } from 'zod';
import { LEAVE_IN_PLACE, readVersioned, type FileProblem, type FileSpec } from '../storage/json-file';
import { updateVersioned } from '../storage/update-file';

export interface AppSettings {
  /** An absolute folder; null for the default workspace in userData. */
  workspaceDir: string | null;
}

const SettingsSchema = z.object({ workspaceDir: z.string().min(1).nullable() }).strict();

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
