// The closed set of failures the ServiceNow client reports. Every transport or instance failure maps to
// exactly one of these, each with a message a consultant can act on. Only `bad_credentials` ever says
// the credentials are wrong (docs/reliability.md §7 check 10). `too_large`: an answer passed the client's
// per-response size limit (ClientOptions.maxResponseBytes) and was stopped while it streamed in.

export const SERVICENOW_ERROR_CODES = [
  'bad_credentials',
  'mfa_required',
  'forbidden',
  'not_found',
  'rate_limited',
  'hibernating',
  'transaction_cancelled',
  'tls',
  'network',
  'timeout',
  'too_large',
  'unexpected',
] as const;
export type ServiceNowErrorCode = (typeof SERVICENOW_ERROR_CODES)[number];

export const SERVICENOW_ERROR_TITLES: Record<ServiceNowErrorCode, string> = {
  bad_credentials: 'The instance rejected the user name or password',
  mfa_required: 'The instance requires multi-factor or single sign-on for this user',
  forbidden: 'The instance refused the operation',
  not_found: 'Not found, or hidden by an access control',
  rate_limited: 'The instance is rate limiting requests',
  hibernating: 'The instance is hibernating',
  transaction_cancelled: 'The instance cancelled the transaction',
  tls: 'The secure connection to the instance failed',
  network: 'The instance could not be reached',
  timeout: 'The instance did not answer in time',
  too_large: 'The instance answered with more data than the limit',
  unexpected: 'The instance gave an unexpected answer',
};

/** What a failure looks like once it leaves the client: plain data, safe to show, log and store. */
export interface ServiceNowFailure {
  code: ServiceNowErrorCode;
  /** Actionable, secret-free text. */
  message: string;
  /** The instance's own error.message / error.detail, when it sent one. */
  instanceMessage?: string;
  status?: number;
  /** For rate limiting: when the instance said to try again (ISO time). */
  retryAt?: string;
  /**
   * True when the request may have reached the instance and been committed (a write whose answer was
   * lost). The apply engine settles those by re-reading, never by sending again.
   */
  ambiguous: boolean;
}
