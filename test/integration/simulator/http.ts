// A thin fetch wrapper for the simulator's integration tests (the real HTTP path, nothing mocked).
import type { SimUser, Simulator } from '../../../src/main/simulator';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // Tests read arbitrary JSON shapes and assert on them; `any` keeps those assertions readable.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface CallOptions {
  /** Basic-auth user; null for no Authorization header. Default: the admin. */
  user?: SimUser | null;
  body?: unknown;
  headers?: Record<string, string>;
}

export function basic(user: SimUser): string {
  return `Basic ${Buffer.from(`${user.userName}:${user.password}`).toString('base64')}`;
}

export async function call(
  sim: Simulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const user = options.user === undefined ? sim.users.admin : options.user;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (user) headers.Authorization = basic(user);
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, options.headers);
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const enc = encodeURIComponent;
