// The workspace's public surface.
export { openWorkspace } from './workspace';
export type { Workspace, QueueFileApi, OpenWorkspaceOptions } from './workspace';
export type { WorkspaceChange } from './watch';
export type { InstanceRecord, InstanceSaveInput, InstanceSaveOptions, InstancesApi } from './instances-store';
export { instanceConflict, instanceRevision } from './instances-store';
export type { DraftsApi, SnapshotsApi, PlansApi } from './instance-files';
export type { TemplatesApi } from './templates-store';
export { defaultWorkspaceDir, workspaceLayout, GITIGNORE } from './paths';
export { WorkspaceConflictError, WorkspaceInputError } from './errors';
export { templateRevision } from './templates-store';
export { draftRevision } from './instance-files';
export { instanceIdFromUrl, normalizeWorkspaceUrl } from '../../shared/workspace/instance-id';
export type { FileProblem } from '../storage/json-file';
