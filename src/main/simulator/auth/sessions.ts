// API sessions (docs/reliability.md §4.3): a request without a session cookie creates a new session and gets
// `JSESSIONID` + `glide_user_route`; a request carrying a valid one is authenticated by it. One session
// runs at most `concurrency` transactions at once (one per session; two for REST since Yokohama), so
// parallel requests on one session queue.
import { randomBytes } from 'node:crypto';
import { Semaphore } from './semaphore';

export interface Session {
  id: string;
  /** A short label for the request log (`s1`, …); the cookie value itself is a secret. */
  label: string;
  userSysId: string;
  route: string;
  slots: Semaphore;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private created = 0;

  constructor(private readonly concurrency: number) {}

  get count(): number {
    return this.created;
  }

  create(userSysId: string): Session {
    this.created += 1;
    const session: Session = {
      id: randomBytes(16).toString('hex').toUpperCase(),
      label: `s${this.created}`,
      userSysId,
      route: `glide.${randomBytes(16).toString('hex')}`,
      slots: new Semaphore(Math.max(1, this.concurrency)),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** What the control API shows about sessions (never the cookie values). */
  summary(): { label: string; userSysId: string; peakConcurrent: number }[] {
    return [...this.sessions.values()].map((s) => ({
      label: s.label,
      userSysId: s.userSysId,
      peakConcurrent: s.slots.peak,
    }));
  }

  get(id: string | undefined): Session | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  setCookies(session: Session): string[] {
    return [
      `JSESSIONID=${session.id}; Path=/; HttpOnly; SameSite=Lax`,
      `glide_user_route=${session.route}; Path=/; HttpOnly; SameSite=Lax`,
    ];
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
