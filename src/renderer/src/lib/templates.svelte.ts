// Templates: the list, saving and removing one, and applying one to selected instances (which renders it
// with each instance's variables and saves each instance's drafts).
import type { TemplateApplyView, TemplateInput, TemplateView } from '../../../shared/ipc/contract';
import { api } from './api';

/** Why main refused a template save. */
export interface SaveRefusal {
  message: string;
  /** On a conflict: the version another process stored (null when it removed the template). */
  stored: TemplateView | null;
}

export class TemplatesState {
  list = $state.raw<TemplateView[]>([]);
  loadError = $state<string | null>(null);
  applying = $state(false);
  applyResult = $state.raw<TemplateApplyView | null>(null);
  applyError = $state<string | null>(null);

  async load(): Promise<void> {
    const result = await api.templatesList({});
    if (result.ok) {
      this.list = [...result.value].sort((a, b) => a.name.localeCompare(b.name));
      this.loadError = null;
    } else this.loadError = result.message;
  }

  /** Saves; answers why it was refused, or null when saved. */
  async save(input: TemplateInput): Promise<SaveRefusal | null> {
    const result = await api.templatesSave(input);
    if (result.ok) {
      await this.load();
      return null;
    }
    if (result.code !== 'conflict') return { message: result.message, stored: null };
    // Another process saved or removed it: show the list as it is now, and its version to load.
    await this.load();
    return { message: result.message, stored: this.list.find((t) => t.name === input.name) ?? null };
  }

  async remove(name: string): Promise<string | null> {
    const result = await api.templatesRemove({ name });
    if (!result.ok) return result.message;
    await this.load();
    return null;
  }

  async apply(name: string, ids: string[]): Promise<void> {
    if (ids.length === 0 || this.applying) return;
    this.applying = true;
    this.applyError = null;
    this.applyResult = null;
    try {
      const result = await api.templatesApply({ name, ids });
      if (result.ok) this.applyResult = result.value;
      else this.applyError = result.message;
    } finally {
      this.applying = false;
    }
  }
}
