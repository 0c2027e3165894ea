// password2 values (sys_user.user_password, oauth_entity.client_secret, basic_auth_credentials.password)
// are never stored or echoed in clear: the simulator keeps a salted hash, so neither its state file nor
// its answers ever hold a secret. A value written without sysparm_input_display_value=true is kept
// "malformed" (docs/servicenow.md §3.7: an instance then stores an unusable value).
import { createHash, timingSafeEqual } from 'node:crypto';

const SALT = 'spokesmith-simulator-password2';
const USABLE = 'hash:';
const MALFORMED = 'malformed:';

function digest(value: string): string {
  return createHash('sha256').update(`${SALT}\u0000${value}`).digest('hex');
}

export function storeSecret(value: string, inputDisplayValue: boolean): string {
  if (value === '') return '';
  return `${inputDisplayValue ? USABLE : MALFORMED}${digest(value)}`;
}

export type SecretState = 'unset' | 'usable' | 'malformed';

export function secretState(stored: string | undefined): SecretState {
  if (!stored) return 'unset';
  return stored.startsWith(USABLE) ? 'usable' : 'malformed';
}

/** True when the stored value is a usable secret equal to `candidate`. */
export function secretMatches(stored: string | undefined, candidate: string): boolean {
  if (!stored?.startsWith(USABLE)) return false;
  const a = Buffer.from(stored.slice(USABLE.length), 'hex');
  const b = Buffer.from(digest(candidate), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What a read shows for a password2 field. */
export function maskSecret(stored: string | undefined): string {
  return stored ? '********' : '';
}
