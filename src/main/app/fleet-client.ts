// The fleet modules (runMany, the offline queue, drift) take ServiceNowClients; the app's engine port hands
// out opaque clients, which are ServiceNowClients (engine-port.ts builds them with createServiceNowClient).
// This is the one place that relies on it.
import type { ServiceNowClient } from '../servicenow';
import type { Client } from './ports';

export function asServiceNowClient(client: Client): ServiceNowClient {
  return client as ServiceNowClient;
}

/** Whether a failure means "the instance is not there right now" (worth queueing, or planning offline). */
export const UNREACHABLE = new Set<string>(['hibernating', 'network', 'timeout']);
