// The forms' validation rules load after the first screen (src/renderer/src/lib/form-rules.svelte.ts).
// test/component/setup.ts loads them for every test file, as the app does before it shows a form; here the
// renderer's modules are loaded afresh, so the forms exist before their rules, as on the first screen.
import { describe, expect, it, vi } from 'vitest';
import type * as FakeApi from './fake-api';

vi.mock('../../src/renderer/src/lib/api', async () => ({ api: (await import('./fake-api')).api }));

async function beforeTheRules() {
  vi.resetModules();
  // The mocked api module outlives the reset (vitest keeps mocks): the one the fresh modules call.
  const { api } = (await import('../../src/renderer/src/lib/api')) as unknown as typeof FakeApi;
  vi.clearAllMocks();
  const { loadFormRules, loadedFormRules } = await import('../../src/renderer/src/lib/form-rules.svelte');
  const { FormsState } = await import('../../src/renderer/src/lib/forms.svelte');
  const { AppState } = await import('../../src/renderer/src/lib/app.svelte');
  const { instances } = await import('./fixtures');
  expect(loadedFormRules()).toBeNull();
  return { api, loadFormRules, FormsState, AppState, instances };
}

describe('form rules loaded after the first screen', () => {
  it('a form is "not checked yet" until its rules arrive: no message, no review; then it is checked', async () => {
    const { FormsState, loadFormRules } = await beforeTheRules();
    const forms = new FormsState();
    forms.set('main', 'name', '');

    expect(forms.validation.pending).toBe(true);
    expect(forms.issuesFor('main', 'name')).toEqual([]);
    expect(forms.canReview).toBe(false);

    await loadFormRules();

    expect(forms.validation.pending).toBeUndefined();
    expect(forms.issuesFor('main', 'name').map((i) => i.message)).toContain('Name is required.');
    expect(forms.canReview).toBe(false);
    forms.set('main', 'name', 'Exchange_Online_Connection');
    expect(forms.canReview).toBe(true);
  });

  it('a review asked for before the rules arrive waits for them, then plans forms that pass', async () => {
    const { api, AppState, instances } = await beforeTheRules();
    const app = new AppState();
    app.instances = instances();
    await app.select('acme-dev');
    app.forms.cancelSave();
    api.planCreate.mockResolvedValue({
      ok: false,
      code: 'busy',
      message: 'stopped here: only the call matters',
    });

    expect(app.forms.validation.pending).toBe(true);
    await app.reviewPlan();

    expect(api.planCreate).toHaveBeenCalledWith(expect.objectContaining({ id: 'acme-dev' }));
  });

  it('a review asked for before the rules arrive never plans forms that break them', async () => {
    const { api, AppState, instances } = await beforeTheRules();
    const app = new AppState();
    app.instances = instances();
    await app.select('acme-dev');
    app.forms.set('clientCred', 'connectionUrl', 'http://graph.microsoft.com');
    app.forms.cancelSave();

    expect(await app.reviewPlan()).toBe(false);

    expect(api.planCreate).not.toHaveBeenCalled();
    expect(app.forms.validation.errorCount).toBe(1);
  });
});
