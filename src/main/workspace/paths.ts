// Where the workspace lives and how it is laid out. The default is the folder Electron's
// app.getPath('userData') gives for the app name "Spokesmith", computed here without Electron so the CLI
// and the app share one workspace.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InstanceIdSchema, TemplateNameSchema } from '../../shared/workspace/schemas';

export const APP_FOLDER_NAME = 'Spokesmith';

export function defaultWorkspaceDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env.SPOKESMITH_WORKSPACE?.trim();
  if (override) return override;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  // Electron on Linux follows XDG_CONFIG_HOME, falling back to ~/.config.
  return join(env.XDG_CONFIG_HOME?.trim() || join(home, '.config'), APP_FOLDER_NAME);
}

/** Every path in a workspace, in one place. Ids and names are validated here so none escapes the folder. */
export function workspaceLayout(dir: string) {
  return {
    dir,
    instancesFile: join(dir, 'instances.json'),
    localStateFile: join(dir, 'local-state.json'),
    queueFile: join(dir, 'queue.json'),
    gitignoreFile: join(dir, '.gitignore'),
    templatesDir: join(dir, 'templates'),
    instancesDir: join(dir, 'instances'),
    templateFile: (name: string) => join(dir, 'templates', `${TemplateNameSchema.parse(name)}.json`),
    instanceDir: (id: string) => join(dir, 'instances', InstanceIdSchema.parse(id)),
    draftFile: (id: string) => join(dir, 'instances', InstanceIdSchema.parse(id), 'draft.json'),
    snapshotFile: (id: string) => join(dir, 'instances', InstanceIdSchema.parse(id), 'snapshot.json'),
    planFile: (id: string) => join(dir, 'instances', InstanceIdSchema.parse(id), 'plan.json'),
  };
}
export type WorkspaceLayout = ReturnType<typeof workspaceLayout>;

/**
 * What a team can commit and what stays on this machine. Drafts are shareable (prepared on one laptop,
 * applied from another); everything an instance's folder holds besides the draft is machine-local.
 */
export const GITIGNORE = `# Written by Spokesmith: machine-local state that should not be shared.
# Shareable: instances.json, templates/, instances/<id>/draft.json. Secrets are never in this folder.
local-state.json
queue.json
instances/*/*
!instances/*/draft.json
*.bad
*.bak
*.tmp
# Short-lived lock folders of processes changing a file (src/main/storage/update-file.ts).
*.lock
`;
