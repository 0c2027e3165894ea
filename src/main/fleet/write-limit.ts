// A ServiceNow API session runs one transaction at a time (two for REST since Yokohama: docs/servicenow.md §7),
// so sending more writes in parallel to one instance only queues them on the instance and risks the
// 60 s transaction quota. This wraps a client so at most N writes per instance are in flight; reads pass.
import pLimit from 'p-limit';
import type { ServiceNowClient } from '../servicenow';

export function limitWrites(client: ServiceNowClient, writesInFlight: 1 | 2): ServiceNowClient {
  const limit = pLimit(writesInFlight);
  return {
    get instanceUrl() {
      return client.instanceUrl;
    },
    get userName() {
      return client.userName;
    },
    get requestCount() {
      return client.requestCount;
    },
    list: (table, params) => client.list(table, params),
    listAll: (table, params) => client.listAll(table, params),
    get: (table, sysId, params) => client.get(table, sysId, params),
    create: (table, body, params) => limit(() => client.create(table, body, params)),
    update: (table, sysId, body, params) => limit(() => client.update(table, sysId, body, params)),
    remove: (table, sysId) => limit(() => client.remove(table, sysId)),
    batch: (items) =>
      items.every((item) => item.method === 'GET') ? client.batch(items) : limit(() => client.batch(items)),
    whoami: () => client.whoami(),
    close: () => client.close(),
  };
}
