// The demo instance's records between runs: a versioned, validated JSON file written atomically
// (src/main/storage/json-file.ts). A file that cannot be used is moved aside and reported by the caller.
import { z } from 'zod';
import { readVersioned, writeVersioned, type FileSpec, type ReadResult } from '../../storage/json-file';
import { tableExists } from '../db/schema';
import { isSysId } from '../db/ids';
import { SCENARIOS, type ScenarioName } from '../types';

const RowSchema = z
  .record(z.string(), z.string())
  .refine((row) => row.sys_id === 'global' || isSysId(row.sys_id ?? ''), {
    message: 'a row lacks a valid sys_id',
  });

export const StateSchema = z.object({
  scenario: z.enum(SCENARIOS as [ScenarioName, ...ScenarioName[]]),
  tables: z
    .record(z.string(), z.array(RowSchema))
    .refine((tables) => Object.keys(tables).every(tableExists), { message: 'unknown table' }),
});
export type SimState = z.infer<typeof StateSchema>;

export const STATE_FILE: FileSpec<SimState> = {
  kind: 'spokesmith.simulator-state',
  version: 1,
  schema: StateSchema,
};

export function readState(file: string): Promise<ReadResult<SimState>> {
  return readVersioned(file, STATE_FILE);
}

/** Serializes saves: each save writes the state as it is when the save runs; saves never overlap. */
export class StateSaver {
  private chain: Promise<void> = Promise.resolve();
  private pending = false;
  private lastError: Error | null = null;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => SimState,
  ) {}

  /** Schedules a save (coalescing with one already waiting) and resolves once it is on disk. */
  schedule(): Promise<void> {
    if (this.pending) return this.chain;
    this.pending = true;
    this.chain = this.chain.then(async () => {
      this.pending = false;
      try {
        await writeVersioned(this.file, STATE_FILE, this.snapshot());
        this.lastError = null;
      } catch (error) {
        this.lastError = error as Error;
      }
    });
    return this.chain;
  }

  /** Resolves when every scheduled save has finished. */
  flush(): Promise<void> {
    return this.chain;
  }

  get error(): Error | null {
    return this.lastError;
  }
}
