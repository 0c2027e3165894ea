// The ServiceNow client for the main process. See client.ts for the contract.
export { createServiceNowClient } from './client';
export type { ClientOptions, ServiceNowClient, WhoAmI, ListAllParams } from './client';
export type { InstanceAuth } from './auth';
export { ServiceNowError, isServiceNowError } from './errors';
// The one instance URL rule lives in src/shared/workspace/instance-id.ts; the app reaches it through here.
export { normalizeInstanceUrl, isLoopbackHost } from '../../shared/workspace/instance-id';
export type { NormalizeResult } from '../../shared/workspace/instance-id';
export { tableUrl, queryValue } from './params';
export type { ListParams, WriteParams } from './params';
export type { RawRecord } from './schemas';
export { writeItem } from './batch';
export type { BatchRequestItem, BatchResponseItem, BatchMethod } from './batch';
