// The ServiceNow client for the main process. See client.ts for the contract.
export { createServiceNowClient } from './client';
export type { ClientOptions, ServiceNowClient, WhoAmI, ListAllParams } from './client';
export type { InstanceAuth } from './auth';
export { ServiceNowError, isServiceNowError } from './errors';
export { normalizeInstanceUrl, isLoopbackHost } from './url';
export type { NormalizeResult } from './url';
export { tableUrl, queryValue } from './params';
export type { ListParams, WriteParams } from './params';
export type { RawRecord } from './schemas';
export { writeItem } from './batch';
export type { BatchRequestItem, BatchResponseItem, BatchMethod } from './batch';
