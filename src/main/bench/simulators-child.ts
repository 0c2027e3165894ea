// The instances of the fleet benchmark (fleet.ts), in a process of their own: `node
// out/main/bench-simulators.js <count> <latencyMs>`. Real instances are other machines, so the CPU
// the simulators spend must not be taken from the event loop that is measured (issue 11: whether CPU or
// the network limits a fleet run). Talks to its parent over the fork IPC channel: "ready" with each
// instance's URL and admin credentials, then answers "stats" (requests served, connections created
// per instance) and "clear" (empty the request logs); exits when the parent goes.
import { startSimulator, type Simulator } from '../simulator';

export type ChildMessage =
  | { type: 'ready'; instances: { url: string; userName: string; password: string }[] }
  | { type: 'stats'; requests: number[]; connections: number[] }
  | { type: 'cleared' };
export type ParentMessage = { type: 'stats' } | { type: 'clear' };

const [count = 0, latencyMs = 0] = process.argv.slice(2).map(Number);
const send = (message: ChildMessage) => process.send?.(message);

const sims: Simulator[] = await Promise.all(
  Array.from({ length: count }, () =>
    startSimulator({ scenario: 'fresh', host: '127.0.0.1', port: 0, latencyMs }),
  ),
);
process.on('message', (message: ParentMessage) => {
  if (message.type === 'clear') {
    for (const sim of sims) sim.clearLog();
    send({ type: 'cleared' });
  } else {
    send({
      type: 'stats',
      requests: sims.map((s) => s.log.length),
      connections: sims.map((s) => s.db.rows('http_connection').length),
    });
  }
});
process.on('disconnect', () => {
  void Promise.all(sims.map((s) => s.close())).finally(() => process.exit(0));
});
send({
  type: 'ready',
  instances: sims.map((s) => ({
    url: s.url,
    userName: s.users.admin.userName,
    password: s.users.admin.password,
  })),
});
