// Every ServiceNow answer is parsed here, where it enters, so the rest sees shaped data. Field values are kept
// tolerant (docs/servicenow.md §3.3: the `display_value=all` shape is UNCERTAIN) and flattened to strings.
import * as z from 'zod/mini';
import '../../shared/zod-english';

export type RawRecord = Record<string, string>;

const Scalar = () => z.union([z.string(), z.number(), z.boolean(), z.null()]);

const ReferenceValue = z.looseObject({
  value: z.optional(Scalar()),
  display_value: z.optional(Scalar()),
  link: z.optional(z.string()),
});

const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.null(), ReferenceValue]);
export const RecordSchema = z.record(z.string(), FieldValue);
export type WireRecord = z.infer<typeof RecordSchema>;

export const ListBodySchema = z.looseObject({ result: z.array(RecordSchema) });
export const SingleBodySchema = z.looseObject({ result: RecordSchema });

/** `{"error":{"message","detail"},"status":"failure"}` (docs/servicenow.md §3.3). */
export const ErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.nullish(z.string()),
    detail: z.nullish(z.string()),
  }),
  status: z.optional(z.string()),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** `/oauth_token.do` answers (docs/servicenow.md §3.6); `expires_in` has been seen as a number and as a string. */
export const TokenBodySchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_in: z.optional(z.union([z.number(), z.string().check(z.regex(/^\d+$/))])),
  refresh_token: z.optional(z.string()),
  scope: z.optional(z.string()),
});
export type TokenBody = z.infer<typeof TokenBodySchema>;

export const TokenErrorSchema = z.looseObject({
  error: z.optional(z.string()),
  error_description: z.optional(z.string()),
});

/** Batch API answer (docs/servicenow.md §7). */
export const BatchBodySchema = z.looseObject({
  batch_request_id: z.optional(z.string()),
  serviced_requests: z.array(
    z.looseObject({
      id: z.string(),
      status_code: z.number(),
      status_text: z.optional(z.string()),
      body: z.nullish(z.string()),
      headers: z.optional(z.array(z.object({ name: z.string(), value: z.string() }))),
      execution_time: z.optional(z.number()),
      error_message: z.nullish(z.string()),
    }),
  ),
  unserviced_requests: z._default(z.array(z.string()), []),
});
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
