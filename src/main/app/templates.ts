// Templates: named desired states with `{variable}` placeholders, stored in the (shareable) workspace, and
// applied to many instances by rendering each with the instance's own variables and saving its drafts.
// Every problem names the instance, the variable and the field.
import type {
  TemplateApplyItem,
  TemplateApplyView,
  TemplateInput,
  TemplateView,
} from '../../shared/ipc/contract';
import type { Template } from '../../shared/workspace/schemas';
import { templateUsage } from '../../shared/workspace/template';
import {
  instanceRevision,
  templateRevision,
  WorkspaceConflictError,
  WorkspaceInputError,
} from '../workspace';
import { AppError } from '../ipc/errors';
import type { AppContext } from './context';
import { requireInstances } from './fleet-plan';
import type { DraftForm } from './drafts';

export async function listTemplates(ctx: AppContext): Promise<TemplateView[]> {
  return ctx.workspace().templates.list().map(toView);
}

export async function saveTemplate(ctx: AppContext, input: TemplateInput): Promise<TemplateView> {
  const { basedOn, ...template } = input;
  try {
    // Always checked: the app's editor read the template (or none, for a new one) some time ago.
    const saved = await ctx.workspace().templates.save(template as Template, { basedOn: basedOn ?? null });
    ctx.logger.info('Template saved', { template: saved.name });
    return toView(saved);
  } catch (error) {
    if (error instanceof WorkspaceConflictError) throw new AppError('conflict', error.message);
    if (error instanceof WorkspaceInputError)
      throw new AppError('invalid_input', error.message, error.issues);
    throw error;
  }
}

export async function removeTemplate(ctx: AppContext, name: string): Promise<{ removed: boolean }> {
  return { removed: await ctx.workspace().templates.remove(name) };
}

export async function applyTemplate(
  ctx: AppContext,
  input: { name: string; ids: string[] },
): Promise<TemplateApplyView> {
  const store = ctx.workspace();
  if (!store.templates.get(input.name)) {
    throw new AppError('not_found', `There is no template named "${input.name}".`);
  }
  const instances = await requireInstances(ctx, input.ids);
  const items: TemplateApplyItem[] = [];
  for (const instance of instances) {
    const rendered = store.templates.render(input.name, instance.variables ?? {});
    const base = { instanceId: instance.id, name: instance.name };
    if (!rendered.ok) {
      items.push({
        ...base,
        ok: false,
        savedAt: null,
        errors: rendered.errors.map((e) => ({ ...e, message: `${instance.name}: ${e.message}` })),
      });
      continue;
    }
    // The entry first, based on the copy rendered from: if another process changed the instance since
    // (its variables, say), writing that copy back would undo the change and the draft would be rendered
    // from values no longer stored, so nothing of this instance is written and the item says why.
    try {
      await store.instances.save(
        { ...instance, template: input.name },
        { basedOn: instanceRevision(instance) },
      );
    } catch (error) {
      if (!(error instanceof WorkspaceConflictError)) throw error;
      const message = `${instance.name}: ${error.message} Apply the template again.`;
      items.push({
        ...base,
        ok: false,
        savedAt: null,
        errors: [{ form: null, field: 'variables', variable: null, message }],
      });
      continue;
    }
    const draft = await store.drafts.save(instance.id, {
      main: asDraftForm(rendered.desired.main),
      clientCred: asDraftForm(rendered.desired.clientCred),
      // A template's Entra app, filled from this instance's variables (a template without one keeps
      // whatever the instance's card holds).
      ...(rendered.desired.entra ? { entra: asDraftForm(rendered.desired.entra) } : {}),
    });
    items.push({ ...base, ok: true, savedAt: draft.updatedAt, errors: [] });
  }
  ctx.logger.info('Template applied', {
    template: input.name,
    applied: items.filter((i) => i.ok).length,
    failed: items.filter((i) => !i.ok).length,
  });
  return {
    instances: items,
    applied: items.filter((i) => i.ok).map((i) => i.instanceId),
    failed: items.filter((i) => !i.ok).map((i) => i.instanceId),
  };
}

function toView(template: Template): TemplateView {
  return {
    name: template.name,
    description: template.description ?? null,
    variables: template.variables.map((v) => ({
      name: v.name,
      description: v.description ?? null,
      default: v.default ?? null,
    })),
    main: { ...template.main },
    clientCred: { ...template.clientCred },
    entra: template.entra ? { ...template.entra } : null,
    usage: [...templateUsage(template)].map(([variable, fields]) => ({ variable, fields })),
    revision: templateRevision(template),
  };
}

/** A rendered form as a draft: the same fields, without the optional ones left unset. */
function asDraftForm(form: object): DraftForm {
  return Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as DraftForm;
}
