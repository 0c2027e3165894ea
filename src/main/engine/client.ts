// The part of the ServiceNow client the engine uses. A Pick, so the engine runs on the real client and
// nothing else is ever needed to satisfy it.
import type { ServiceNowClient } from '../servicenow';

export type EngineClient = Pick<
  ServiceNowClient,
  | 'instanceUrl'
  | 'userName'
  | 'requestCount'
  | 'list'
  | 'get'
  | 'create'
  | 'update'
  | 'remove'
  | 'batch'
  | 'whoami'
>;
