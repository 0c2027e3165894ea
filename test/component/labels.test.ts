// A rollback plan lists every field the instance returned, including the hidden Application scope; the
// review labels it like the others instead of showing the raw element name "application".
import { expect, it } from 'vitest';
import { fieldLabel } from '../../src/renderer/src/lib/labels';

it('labels the connection fields a rollback plan shows, Application included', () => {
  for (const [element, label] of [
    ['application', 'Application'],
    ['connection_url', 'Connection URL'],
    ['sys_domain', 'Domain'],
    // A deleted credential's fields (issue 12 walk: shown as "mid_list", "tag", "classification").
    ['mid_list', 'MID servers'],
    ['tag', 'Credential alias'],
    ['classification', 'Classification'],
  ] as const)
    expect(fieldLabel(element)).toBe(label);
});
