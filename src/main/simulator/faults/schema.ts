// FaultSpec as data arriving on the control API: validated before use.
import { z } from 'zod';
import type { FaultSpec } from '../types';

const Match = z
  .object({
    method: z.string().optional(),
    table: z.string().optional(),
    pathIncludes: z.string().optional(),
  })
  .optional();
const common = {
  match: Match,
  skip: z.number().int().min(0).optional(),
  times: z.number().int().min(1).optional(),
};

export const FaultSpecSchema: z.ZodType<FaultSpec> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0), ...common }),
  z.object({
    kind: z.literal('rate_limit'),
    retryAfterSeconds: z.number().int().min(0).nullable(),
    ...common,
  }),
  z.object({
    kind: z.literal('status'),
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]),
    ...common,
  }),
  z.object({ kind: z.literal('reset'), ...common }),
  z.object({ kind: z.literal('hang'), ...common }),
  z.object({ kind: z.literal('hang_after_commit'), ...common }),
  z.object({ kind: z.literal('hibernate'), ...common }),
  z.object({ kind: z.literal('quota_cancel'), ...common }),
  z.object({ kind: z.literal('forbidden'), message: z.string().optional(), ...common }),
  z.object({ kind: z.literal('unauthorized'), ...common }),
  z.object({ kind: z.literal('mfa_required'), ...common }),
]) as z.ZodType<FaultSpec>;
