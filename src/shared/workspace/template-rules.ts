// The rules of a template's text that the IPC input (src/shared/ipc/contract.ts TemplateInputSchema) and
// the stored file (schemas.ts TemplateSchema) share: what a `{variable}` is, and what a template's Entra app
// may hold. Its own module so the contract can use them without importing the workspace schemas (which
// import the contract). Pure.
//
// Written with zod/mini, as the forms' rules are (src/shared/domain/desired-state.ts): the renderer's
// template editor checks the Entra app with this schema, and classic zod would carry all of its methods
// into the renderer's bundle (issue 11's budget). main composes it into its classic schemas unchanged.
import * as z from 'zod/mini';
import { looksLikeSecret, secretRefusal } from './secret-fields';

/** A `{variable}` in a template's text: letters, digits and _, starting with a letter or _. */
export const TEMPLATE_PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The fields of a template's Entra app; tenant and client ID differ per customer, so they must be variables. */
export const TEMPLATE_ENTRA_FIELDS = ['tenant', 'clientId', 'secretExpires'] as const;
const PER_INSTANCE: Record<'tenant' | 'clientId', string> = {
  tenant: 'tenant ID, e.g. {tenant}',
  clientId: 'client ID, e.g. {client_id}',
};

/**
 * The Entra app in a template (issue 10): text that may hold `{variable}`s, filled per instance from the
 * instance's variables. Never a client secret: that lives only in the keychain.
 */
export const TemplateEntraSchema = z.record(z.string(), z.string({ error: 'must be text' })).check(
  z.superRefine((entra, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    for (const key of Object.keys(entra)) {
      if ((TEMPLATE_ENTRA_FIELDS as readonly string[]).includes(key)) continue;
      issue(
        key,
        looksLikeSecret(key)
          ? secretRefusal(key, 'Template field')
          : `Unknown field "${key}": a template's Entra app has ${TEMPLATE_ENTRA_FIELDS.join(', ')}.`,
      );
    }
    for (const key of ['tenant', 'clientId'] as const) {
      const value = entra[key];
      if (value === undefined) issue(key, `entra.${key} is required when a template has an Entra app.`);
      else if (!new RegExp(TEMPLATE_PLACEHOLDER.source).test(value))
        issue(
          key,
          `entra.${key} must be a per-instance variable (the ${PER_INSTANCE[key]}): a template is shared by many customers' instances.`,
        );
    }
  }),
);
export type TemplateEntra = z.infer<typeof TemplateEntraSchema>;
