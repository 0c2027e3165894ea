// The demo instance's name says what it is, never a network state: the status badge beside it says
// "Online", which contradicted "Demo instance (offline)" (issue 12).
import { expect, it } from 'vitest';
import { DEMO_INSTANCE_NAME } from '../../../src/main/app/demo';

it('names the demo instance without a network state', () => {
  expect(DEMO_INSTANCE_NAME).toMatch(/^Demo instance/);
  expect(DEMO_INSTANCE_NAME).not.toMatch(/offline|online/i);
});
