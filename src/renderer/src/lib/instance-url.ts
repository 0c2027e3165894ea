// What the instance editor says about the URL field. The rule itself is main's (normalizeWorkspaceUrl, the
// same function that stores the instance): https everywhere, plain http only on loopback, where the embedded
// simulator and local test instances answer. Only the wording of a refusal lives here.
import { normalizeWorkspaceUrl } from '../../../shared/workspace/instance-id';

/** The problem with the typed instance URL in plain words, or null when main will accept it. */
export function instanceUrlProblem(input: string): string | null {
  const text = input.trim();
  if (!text || /^https?:\/\/$/i.test(text)) return 'Instance URL is required.';
  if (normalizeWorkspaceUrl(text) !== null) return null;
  if (/^http:\/\//i.test(text))
    return 'Instance URL must start with https:// (plain http:// is only for a local simulator on localhost, 127.0.0.1 or [::1]).';
  return 'Instance URL is not an address: enter e.g. https://acme.service-now.com.';
}
