// What every instance has: properties, roles, the demo users, MID servers (docs/servicenow.md §1.2, §3.6).
import type { SimDatabase } from '../db/database';
import { storeSecret } from '../auth/secrets';
import { DEMO_ADMIN, DEMO_NON_ADMIN } from '../auth/credentials';
import { seed } from './seeder';

export interface PlatformOptions {
  instanceName: string;
  baseUrl: string;
  adminIsAdmin: boolean;
}

export const BUILD_TAG = 'glide-australia-03-12-2026__patch0-02-26-2026';

export function seedPlatform(db: SimDatabase, options: PlatformOptions): void {
  const properties: Record<string, string> = {
    'glide.buildtag': BUILD_TAG,
    'glide.buildname': 'Australia',
    'glide.war': `${BUILD_TAG}.zip`,
    'glide.servlet.uri': `${options.baseUrl}/`,
    instance_name: options.instanceName,
    'glide.product.description': `${options.instanceName} (Spokesmith simulator)`,
    'com.snc.platform.security.oauth.is.active': 'true',
    'glide.oauth.inbound.client.credential.grant_type.enabled': 'false',
  };
  for (const [name, value] of Object.entries(properties)) {
    seed(db, 'sys_properties', name, { name, value, type: 'string' });
  }
  db.insert(
    'sys_scope',
    { sys_id: 'global', name: 'Global', scope: 'global', active: 'true' },
    { user: 'system' },
  );
  const roles = ['admin', 'oauth_admin', 'connection_admin', 'credential_admin', 'itil'];
  for (const name of roles) seed(db, 'sys_user_role', name, { name, description: `${name} role` });

  const admin = seed(db, 'sys_user', DEMO_ADMIN.userName, {
    user_name: DEMO_ADMIN.userName,
    first_name: 'System',
    last_name: 'Administrator',
    name: 'System Administrator',
    email: 'admin@example.com',
    active: 'true',
    user_password: storeSecret(DEMO_ADMIN.password, true),
  });
  seed(db, 'sys_user', DEMO_NON_ADMIN.userName, {
    user_name: DEMO_NON_ADMIN.userName,
    first_name: 'Walk-up',
    last_name: 'Agent',
    name: 'Walk-up Agent',
    email: 'walkup.agent@example.com',
    active: 'true',
    user_password: storeSecret(DEMO_NON_ADMIN.password, true),
  });
  if (options.adminIsAdmin) {
    const role = db.find('sys_user_role', (r) => r.name === 'admin');
    seed(db, 'sys_user_has_role', 'admin:admin', {
      user: admin.sys_id ?? '',
      role: role?.sys_id ?? '',
      state: 'active',
      inherited: 'false',
    });
  }
  seed(db, 'ecc_agent', 'mid-demo-01', {
    name: 'mid-demo-01',
    status: 'Up',
    validated: 'true',
    host_name: 'mid-demo-01.example.com',
    ip_address: '10.0.0.11',
    version: 'australia-03-12-2026',
  });
  seed(db, 'ecc_agent', 'mid-old-02', {
    name: 'mid-old-02',
    status: 'Down',
    validated: 'false',
    host_name: 'mid-old-02.example.com',
    ip_address: '10.0.0.12',
    version: 'yokohama-12-18-2024',
  });
}
