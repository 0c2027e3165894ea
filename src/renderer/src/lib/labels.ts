// The words the UI uses for codes: field element names as the ServiceNow form labels them, plan operations,
// step outcomes and instance statuses.
import type { PlanOp } from '../../../shared/domain/plan';
import type { StepStatus } from '../../../shared/domain/apply';
import type { InstanceStatus } from '../../../shared/ipc/contract';

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  credential: 'Credential',
  connection_alias: 'Connection alias',
  alias: 'Connection alias',
  connection_url: 'Connection URL',
  connectionUrl: 'Connection URL',
  use_mid: 'Use MID server',
  useMid: 'Use MID server',
  mid_selection: 'MID selection',
  midSelection: 'MID selection',
  mid_server: 'MID Server',
  midServer: 'MID Server',
  midCluster: 'MID cluster',
  midCapabilities: 'Capabilities',
  active: 'Active',
  sys_domain: 'Domain',
  domain: 'Domain',
  oauth_entity_profile: 'OAuth profile',
  grant: 'OAuth profile',
  applies_to: 'Applies to',
  order: 'Order',
  type: 'Type',
  // sys_connection.application (docs/servicenow.md §6): the scope, hidden on the form but returned by the API.
  application: 'Application',
  // oauth_2_0_credentials elements a deleted credential shows in a rollback plan (docs/servicenow.md §1.3).
  mid_list: 'MID servers',
  tag: 'Credential alias',
  classification: 'Classification',
  urlBuilder: 'URL builder',
  // The Application Registry (oauth_entity) fields Spokesmith fills from the Entra app (issue 10).
  client_id: 'Client ID',
  client_secret: 'Client secret',
  default_grant_type: 'Default grant type',
  auth_url: 'Authorization URL',
  token_url: 'Token URL',
  redirect_url: 'Redirect URL',
};

export function fieldLabel(element: string): string {
  return FIELD_LABELS[element] ?? element;
}

export const OP_LABELS: Record<PlanOp | 'delete' | 'restore', string> = {
  create: 'New',
  update: 'Changed',
  noop: 'Unchanged',
  blocked: 'Blocked',
  delete: 'Delete',
  restore: 'Restore',
};

export const STEP_LABELS: Record<StepStatus, string> = {
  done: 'Written',
  skipped: 'Nothing to write',
  failed: 'Failed',
  not_run: 'Not written',
};

export const STATUS_LABELS: Record<InstanceStatus, string> = {
  not_checked: 'Not checked',
  ready: 'Ready',
  spoke_missing: 'Spoke missing',
  drift: 'Drift',
  provisioned: 'Provisioned',
  failed: 'Failed',
};

/** The tone (colour) of an instance status badge. */
export const STATUS_TONES: Record<InstanceStatus, 'neutral' | 'ok' | 'warning' | 'error' | 'info'> = {
  not_checked: 'neutral',
  ready: 'info',
  spoke_missing: 'error',
  drift: 'warning',
  provisioned: 'ok',
  failed: 'error',
};

export function tableLabel(table: string): string {
  if (table === 'http_connection') return 'Connection';
  if (table === 'oauth_2_0_credentials') return 'Credential';
  if (table === 'oauth_entity') return 'Application Registry';
  return table;
}

/** The instance's form URL of a record, opened in the user's browser. */
export function recordUrl(instanceUrl: string, table: string, sysId: string): string {
  return `${instanceUrl.replace(/\/+$/, '')}/${table}.do?sys_id=${encodeURIComponent(sysId)}`;
}
