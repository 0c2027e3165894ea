// The scenarios (each a function that seeds the database).
import type { SimDatabase } from '../db/database';
import { ALIASES, WCS_PRESEEDED } from '../../../shared/servicenow/spoke';
import type { ScenarioName } from '../types';
import { seedPlatform } from './platform';
import { seedSpoke } from './spoke';
import { seedWalkupFlows } from './walkup';
import { seedConnection, seedCredential } from './records';
import { seed } from './seeder';

export interface ScenarioContext {
  instanceName: string;
  baseUrl: string;
}

type Seeder = (db: SimDatabase, ctx: ScenarioContext) => void;

const fresh: Seeder = (db, ctx) => {
  seedPlatform(db, { ...ctx, adminIsAdmin: true });
  seedSpoke(db);
  seedWalkupFlows(db);
};

const SEEDERS: Record<ScenarioName, Seeder> = {
  fresh,
  credentials: (db, ctx) => {
    fresh(db, ctx);
    seedCredential(db, ALIASES.main.defaultCredentialName, 'authorization_code');
    seedCredential(db, ALIASES.clientCred.defaultCredentialName, 'client_credentials');
  },
  wcs: (db, ctx) => {
    // Workplace Calendar pre-seeds "MS Graph 1/2", both on the clientCredentials profile (docs/servicenow.md §0).
    fresh(db, ctx);
    for (const key of ['main', 'clientCred'] as const) {
      const name = WCS_PRESEEDED[key];
      seedConnection(db, name, key, seedCredential(db, name, 'client_credentials'));
    }
  },
  'no-spoke': (db, ctx) => seedPlatform(db, { ...ctx, adminIsAdmin: true }),
  domains: (db, ctx) => {
    fresh(db, ctx);
    const top = seed(db, 'domain', 'TOP', { name: 'TOP', active: 'true' }).sys_id ?? '';
    const acme = seed(db, 'domain', 'ACME', { name: 'ACME', parent: top, active: 'true' }).sys_id ?? '';
    const initech = seed(db, 'domain', 'INITECH', { name: 'INITECH', active: 'true' }).sys_id ?? '';
    const admin = db.find('sys_user', (u) => u.user_name === 'admin');
    if (admin?.sys_id) db.update('sys_user', admin.sys_id, { sys_domain: acme }, { user: 'system' });
    const credential = seedCredential(db, 'INITECH Exchange Credentials', 'authorization_code', initech);
    seedConnection(db, 'INITECH Exchange Connection', 'main', credential, initech);
  },
  'non-admin': (db, ctx) => {
    seedPlatform(db, { ...ctx, adminIsAdmin: false });
    seedSpoke(db);
    seedWalkupFlows(db);
  },
};

export function seedScenario(db: SimDatabase, scenario: ScenarioName, ctx: ScenarioContext): void {
  db.clear();
  SEEDERS[scenario](db, ctx);
}
