// The demo instance's fixed credentials. They are public on purpose (documented in the README and shown
// by `spokesmith sim`): the simulator is a local demo and test instance, never a real one.
import type { SimUser } from '../types';

export const DEMO_PASSWORD = 'spokesmith-demo';
export const DEMO_ADMIN: SimUser = { userName: 'admin', password: DEMO_PASSWORD };
export const DEMO_NON_ADMIN: SimUser = { userName: 'walkup.agent', password: DEMO_PASSWORD };
export const DEMO_OAUTH_CLIENT = {
  clientId: 'spokesmith-demo-client',
  clientSecret: 'spokesmith-demo-secret',
};
