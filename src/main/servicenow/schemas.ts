// Every ServiceNow answer is parsed here, where it enters, so the rest sees shaped data. Field values are kept
// tolerant (docs/servicenow.md §3.3: the `display_value=all` shape is UNCERTAIN) and flattened to strings.
import { z } from 'zod';

export type RawRecord = Record<string, string>;

const ReferenceValue = z
  .object({
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    display_value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    link: z.string().optional(),
  })
  .loose();

const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null(), ReferenceValue]);
export const RecordSchema = z.record(z.string(), FieldValue);
export type WireRecord = z.infer<typeof RecordSchema>;

export const ListBodySchema = z.object({ result: z.array(RecordSchema) }).loose();
export const SingleBodySchema = z.object({ result: RecordSchema }).loose();

/** `{"error":{"message","detail"},"status":"failure"}` (docs/servicenow.md §3.3). */
export const ErrorBodySchema = z
  .object({
    error: z
      .object({
        message: z.string().nullish(),
        detail: z.string().nullish(),
      })
      .loose(),
    status: z.string().optional(),
  })
  .loose();
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** `/oauth_token.do` answers (docs/servicenow.md §3.6); `expires_in` has been seen as a number and as a string. */
export const TokenBodySchema = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    expires_in: z.union([z.number(), z.string().regex(/^\d+$/)]).optional(),
    refresh_token: z.string().optional(),
    scope: z.string().optional(),
  })
  .loose();
export type TokenBody = z.infer<typeof TokenBodySchema>;

export const TokenErrorSchema = z
  .object({ error: z.string().optional(), error_description: z.string().optional() })
  .loose();

/** Batch API answer (docs/servicenow.md §7). */
export const BatchBodySchema = z
  .object({
    batch_request_id: z.string().optional(),
    serviced_requests: z.array(
      z
        .object({
          id: z.string(),
          status_code: z.number(),
          status_text: z.string().optional(),
          body: z.string().nullish(),
          headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
          execution_time: z.number().optional(),
          error_message: z.string().nullish(),
        })
        .loose(),
    ),
    unserviced_requests: z.array(z.string()).default([]),
  })
  .loose();
export type BatchBody = z.infer<typeof BatchBodySchema>;

export type DisplayMode = boolean | 'all';

function scalar(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

/**
 * References become their sys_id (`value`); with display values on they become the display value; with
 * `all` the field holds the value and `dv_<field>` the display value (the JSONv2 convention, since the
 * Table API's own `all` shape is UNCERTAIN).
 */
export function flattenRecord(record: WireRecord, display: DisplayMode = false): RawRecord {
  const out: RawRecord = {};
  for (const [key, field] of Object.entries(record)) {
    if (field === null || typeof field !== 'object') {
      out[key] = scalar(field);
      continue;
    }
    const hasValue = field.value !== undefined;
    const hasDisplay = field.display_value !== undefined;
    if (display === 'all') {
      out[key] = scalar(hasValue ? field.value : field.display_value);
      if (hasDisplay) out[`dv_${key}`] = scalar(field.display_value);
    } else if (display === true) {
      out[key] = scalar(hasDisplay ? field.display_value : field.value);
    } else {
      out[key] = scalar(hasValue ? field.value : field.display_value);
    }
  }
  return out;
}
