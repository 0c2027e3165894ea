// This computer's settings the window edits: the authority the Entra app check asks (issue 10 §4).
import type { SettingsView } from '../../../shared/ipc/contract';
import { api } from './api';

export class SettingsState {
  view = $state.raw<SettingsView | null>(null);
  /** The authority as being typed. */
  authority = $state('');
  saving = $state(false);
  error = $state<string | null>(null);
  saved = $state(false);

  changed = $derived(this.view !== null && this.authority.trim() !== this.view.entraAuthority);

  async load(): Promise<void> {
    const result = await api.settingsGet({});
    if (result.ok) {
      this.view = result.value;
      this.authority = result.value.entraAuthority;
      this.error = null;
    } else this.error = result.message;
  }

  /** Saves the typed authority; an empty one goes back to the default. */
  async save(authority: string | null = this.authority): Promise<boolean> {
    this.saving = true;
    this.error = null;
    this.saved = false;
    try {
      const result = await api.settingsSave({ entraAuthority: authority?.trim() ? authority.trim() : null });
      if (!result.ok) {
        this.error = result.message;
        return false;
      }
      this.view = result.value;
      this.authority = result.value.entraAuthority;
      this.saved = true;
      return true;
    } finally {
      this.saving = false;
    }
  }
}
