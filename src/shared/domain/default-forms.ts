// The two forms as the procedure documents them (docs/servicenow.md §2): what a new instance's forms start
// from. Free of zod on purpose: the renderer's first screen builds its empty forms from these without
// loading the validation rules (issue 11: the first script holds only what the first screen needs).
import { ALIASES, GRAPH_URL, type AliasKey, type GrantType } from '../servicenow/spoke';
import type { ConnectionForm, DesiredState } from './desired-state';

export function defaultForm(key: AliasKey): ConnectionForm {
  const spec = ALIASES[key];
  return {
    alias: spec.name,
    name: spec.defaultConnectionName,
    credential: spec.defaultCredentialName,
    urlBuilder: false,
    connectionUrl: GRAPH_URL,
    useMid: false,
    midCapabilities: [],
    active: true,
    domain: 'global',
    grant: spec.defaultGrant as GrantType,
  };
}

export function defaultDesiredState(): DesiredState {
  return { main: defaultForm('main'), clientCred: defaultForm('clientCred') };
}
