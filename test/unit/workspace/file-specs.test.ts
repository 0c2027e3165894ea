// The kind and version each workspace file is written with, and the schema it is read with: a file
// written by one Spokesmith version is read by another (teammates share the workspace in git, and the
// app and the CLI may be of different versions), so a kind or version that changed by accident would
// make every existing file unreadable.
//
// The module is imported inside the test, not at the top: its constants are then covered by this test in
// the mutation run, which otherwise sees them as covered only by the CLI tests that load it lazily
// (stryker.config.mjs, ignoreStatic).
import { expect, it } from 'vitest';
import {
  DraftSchema,
  InstancesFileSchema,
  PlanSchema,
  QueueFileSchema,
  TemplateSchema,
  migrateInstancesV1,
} from '../../../src/shared/workspace/schemas';
import { SnapshotSchema } from '../../../src/shared/domain/snapshot';

it('writes and reads each workspace file as its kind and version, with its schema', async () => {
  const specs = await import('../../../src/main/workspace/file-specs');
  const seen = (spec: { kind: string; version: number; schema: unknown; migrations?: unknown }) => ({
    kind: spec.kind,
    version: spec.version,
    schema: spec.schema,
    migrations: spec.migrations,
  });
  expect(seen(specs.instancesSpec)).toEqual({
    kind: 'spokesmith.instances',
    version: 2,
    schema: InstancesFileSchema,
    migrations: { 1: migrateInstancesV1 },
  });
  expect(seen(specs.localStateSpec)).toEqual({
    kind: 'spokesmith.instance-state',
    version: 1,
    schema: specs.LocalStateFileSchema,
    migrations: undefined,
  });
  const state = { status: 'failed', statusMessage: 'boom', lastDiscoveredAt: null };
  expect(specs.LocalStateFileSchema.parse({ instances: { acme: state } })).toEqual({
    instances: { acme: state },
  });
  expect(specs.LocalStateFileSchema.safeParse({ instances: {}, extra: 1 }).success).toBe(false);
  for (const [spec, kind, schema] of [
    [specs.draftSpec, 'spokesmith.draft', DraftSchema],
    [specs.snapshotSpec, 'spokesmith.snapshot', SnapshotSchema],
    [specs.planSpec, 'spokesmith.plan', PlanSchema],
    [specs.templateSpec, 'spokesmith.template', TemplateSchema],
    [specs.queueSpec, 'spokesmith.queue', QueueFileSchema],
  ] as const) {
    expect(seen(spec)).toEqual({ kind, version: 1, schema, migrations: undefined });
  }
});
