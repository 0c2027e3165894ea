// The bare list of IPC channel and event names, with no zod: the sandboxed preload bundles this file
// (it must stay small and dependency-free), while contract.ts pairs each name with its input schema.
// contract.ts checks at compile time that both lists name the same channels.

export const CHANNEL_NAMES = [
  'app:info:get',
  'app:instances:list',
  'app:instances:save',
  'app:instances:remove',
  'app:instances:test',
  'app:drafts:get',
  'app:drafts:save',
  'app:discover:run',
  'app:plan:create',
  'app:apply:run',
  'app:apply:resume',
  'app:rollback:plan',
  'app:rollback:run',
  'app:history:list',
  'app:history:get',
  'app:report:export',
  'app:tokens:status',
  'app:links:open',
  'app:snapshot:get',
  'app:fleet:plan',
  'app:fleet:apply',
  'app:queue:list',
  'app:queue:cancel',
  'app:queue:drain',
  'app:queue:clear',
  'app:drift:check',
  'app:templates:list',
  'app:templates:save',
  'app:templates:remove',
  'app:templates:apply',
  'app:transfer:export',
  'app:transfer:import',
  'app:workspace:info',
  'app:workspace:choose',
  'app:entra:status',
  'app:entra:secret',
  'app:entra:forget',
  'app:entra:check',
  'app:entra:demo',
  'app:walkup:check',
  'app:settings:get',
  'app:settings:save',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

export const EVENT_NAMES = [
  'app:apply:progress',
  'app:fleet:progress',
  'app:queue:changed',
  'app:workspace:changed',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** `app:instances:list` → `instancesList`. */
export type ApiKey<C extends string> = C extends `app:${infer N}:${infer V}` ? `${N}${Capitalize<V>}` : never;

/** `app:instances:list` → `instancesList`: the preload's function name for a channel. */
export function apiName<C extends ChannelName>(channel: C): ApiKey<C> {
  const [, noun = '', verb = ''] = channel.split(':');
  return (noun + verb.charAt(0).toUpperCase() + verb.slice(1)) as ApiKey<C>;
}

/** `app:apply:progress` → `onApplyProgress`. */
export type EventApiKey<E extends string> = E extends `app:${infer N}:${infer V}`
  ? `on${Capitalize<N>}${Capitalize<V>}`
  : never;

/** `app:apply:progress` → `onApplyProgress`: the preload's subscription name for an event. */
export function eventApiName<E extends EventName>(event: E): EventApiKey<E> {
  const [, noun = '', verb = ''] = event.split(':');
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return `on${cap(noun)}${cap(verb)}` as EventApiKey<E>;
}

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}
