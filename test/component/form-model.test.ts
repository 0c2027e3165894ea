// The pure pieces under the forms: model ↔ schema input, and the per-keystroke validation.
import { describe, it, expect } from 'vitest';
import { differingFields, toInput, toModel } from '../../src/renderer/src/lib/form-model';
import { validateForms } from '../../src/renderer/src/lib/form-validation';
import { ConnectionFormSchema, defaultForm } from '../../src/shared/domain/desired-state';
import { snapshot } from './fixtures';

describe('form model', () => {
  it('round-trips the documented defaults through the strict schema', () => {
    for (const key of ['main', 'clientCred'] as const) {
      const input = toInput(toModel(key));
      expect(ConnectionFormSchema.parse(input)).toEqual(defaultForm(key));
    }
  });

  it('turns the capabilities line into a list and drops empty MID fields', () => {
    const model = {
      ...toModel('main'),
      useMid: true,
      midSelection: 'auto' as const,
      capabilities: 'ALL, , Exchange ,',
    };
    const input = toInput(model);
    expect(input.midCapabilities).toEqual(['ALL', 'Exchange']);
    expect(input).not.toHaveProperty('midServer');
    expect(toModel('main', input).capabilities).toBe('ALL, Exchange');
  });

  it('marks every field that differs between the two forms, Name and Credential included', () => {
    const main = toModel('main');
    const clientCred = toModel('clientCred');
    expect([...differingFields(main, clientCred)]).toEqual(['name', 'credential', 'grant']);
    expect([...differingFields(main, { ...clientCred, domain: 'ACME' })]).toContain('domain');
  });
});

describe('validateForms', () => {
  const defaults = () => ({ main: toInput(toModel('main')), clientCred: toInput(toModel('clientCred')) });

  it('accepts the defaults without a snapshot', () => {
    const v = validateForms(defaults(), null);
    expect(v.errorCount).toBe(0);
    expect(v.desired).toBeDefined();
    expect(v.instanceIssues).toEqual([]);
  });

  it('counts a field with several broken rules as one problem', () => {
    const input = defaults();
    input.main.name = '';
    const v = validateForms(input, null);
    expect(v.schemaIssues.filter((i) => i.field === 'name').length).toBeGreaterThan(1);
    expect(v.errorCount).toBe(1);
    expect(v.desired).toBeUndefined();
  });

  it('still checks both forms against the instance while a field is broken, except that field', () => {
    const input = defaults();
    input.clientCred.name = '';
    const v = validateForms(input, snapshot());
    expect(v.instanceIssues.some((i) => i.form === 'main')).toBe(true);
    expect(v.instanceIssues.some((i) => i.form === 'clientCred' && i.field === 'name')).toBe(false);
    // The broken Name does not take the Credential's note away (issue 12).
    expect(v.instanceIssues.some((i) => i.form === 'clientCred' && i.field === 'credential')).toBe(true);
  });

  it('turns an instance-aware error into a blocking problem', () => {
    const input = defaults();
    input.main.domain = 'NOWHERE';
    const v = validateForms(input, snapshot());
    expect(v.schemaIssues).toEqual([]);
    expect(v.errorCount).toBe(1);
    expect(v.desired).toBeUndefined();
  });
});
