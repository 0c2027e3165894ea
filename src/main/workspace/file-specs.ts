// The FileSpec (kind, version, schema, migrations) of every workspace file.
import type { FileSpec } from '../storage/json-file';
import { SnapshotSchema, type Snapshot } from '../../shared/domain/snapshot';
import type { Plan } from '../../shared/domain/plan';
import {
  DraftSchema,
  FILE_KINDS,
  FILE_VERSIONS,
  InstanceStateSchema,
  InstancesFileSchema,
  PlanSchema,
  QueueFileSchema,
  TemplateSchema,
  migrateInstancesV1,
  type Draft,
  type InstancesFile,
  type QueueFile,
  type Template,
} from '../../shared/workspace/schemas';
import * as z from 'zod/mini';

export const instancesSpec: FileSpec<InstancesFile> = {
  kind: FILE_KINDS.instances,
  version: FILE_VERSIONS.instances,
  schema: InstancesFileSchema,
  migrations: { 1: migrateInstancesV1 },
};

/** Machine-local per-instance state, one file for all instances so a workspace of 1,000 loads quickly. */
export const LocalStateFileSchema = z.strictObject({ instances: z.record(z.string(), InstanceStateSchema) });
export type LocalStateFile = z.infer<typeof LocalStateFileSchema>;

export const localStateSpec: FileSpec<LocalStateFile> = {
  kind: FILE_KINDS.instanceState,
  version: FILE_VERSIONS.instanceState,
  schema: LocalStateFileSchema,
};

export const draftSpec: FileSpec<Draft> = {
  kind: FILE_KINDS.draft,
  version: FILE_VERSIONS.draft,
  schema: DraftSchema,
};

export const snapshotSpec: FileSpec<Snapshot> = {
  kind: FILE_KINDS.snapshot,
  version: FILE_VERSIONS.snapshot,
  schema: SnapshotSchema,
};

export const planSpec: FileSpec<Plan> = {
  kind: FILE_KINDS.plan,
  version: FILE_VERSIONS.plan,
  // PlanSchema mirrors the Plan interface field by field; this assignment fails to compile if they part.
  schema: PlanSchema satisfies z.ZodMiniType<Plan>,
};

export const templateSpec: FileSpec<Template> = {
  kind: FILE_KINDS.template,
  version: FILE_VERSIONS.template,
  schema: TemplateSchema,
};

export const queueSpec: FileSpec<QueueFile> = {
  kind: FILE_KINDS.queue,
  version: FILE_VERSIONS.queue,
  schema: QueueFileSchema,
};
