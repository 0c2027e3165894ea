// `spokesmith discover <instance>`: what the instance has (build, user and roles, spoke, aliases,
// connections, credentials, OAuth profiles) and how the desired state fits it. Sends only reads.
import type { FieldIssue } from '../../../shared/domain/desired-state';
import { formatIssue } from '../../../shared/domain/desired-state';
import type { Snapshot } from '../../../shared/domain/snapshot';
import type { CommandContext, CommonOptions } from '../context';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Style } from '../output/style';
import { renderTable } from '../output/text-table';
import { discoverTarget } from './discovered';
import { prepare } from './prepare';

export async function discoverCommand(
  ctx: CommandContext,
  instance: string,
  options: CommonOptions,
): Promise<ExitCode> {
  const { target, desired } = await prepare(ctx, instance, options);
  const { snapshot, issues: checks } = await discoverTarget(ctx, target, desired, options);
  if (options.json) {
    ctx.json({ instance: target.label, instance_url: target.url, ready: true, snapshot, checks });
  } else {
    for (const line of renderSnapshot(snapshot, checks, target.label, ctx.style)) ctx.out(line);
  }
  return EXIT.ok;
}

export function renderSnapshot(
  snapshot: Snapshot,
  checks: FieldIssue[],
  label: string,
  style: Style,
): string[] {
  const yes = (v: boolean) => (v ? 'yes' : 'no');
  const lines = [
    style.bold(`${label} (${snapshot.instanceUrl})`),
    `  build: ${snapshot.build.version ?? 'unknown'}${snapshot.build.tag ? ` (${snapshot.build.tag})` : ''}`,
    `  user: ${snapshot.user.userName}, roles: ${snapshot.user.roles.join(', ') || 'none'}`,
    `  spoke: ${snapshot.spoke.installed ? `installed${snapshot.spoke.version ? ` (${snapshot.spoke.version})` : ''}` : 'NOT installed'}`,
    `  aliases: ${[snapshot.aliases.main, snapshot.aliases.clientCred].map((a) => a?.name ?? 'missing').join(', ')}`,
    `  OAuth profiles: ${Object.values(snapshot.profiles)
      .map((p) => p?.name ?? 'missing')
      .join(', ')}`,
    `  domain separation: ${yes(snapshot.domainSeparated)}; MID servers: ${snapshot.midServers.length}`,
    `  read in ${snapshot.requests} request(s) at ${snapshot.discoveredAt}`,
    '',
  ];
  if (snapshot.connections.length) {
    lines.push(
      ...renderTable(
        ['connection', 'active', 'url', 'credential'],
        snapshot.connections.map((c) => [
          c.name,
          yes(c.active),
          c.connectionUrl,
          snapshot.credentials.find((cr) => cr.sysId === c.credentialSysId)?.name ?? c.credentialSysId ?? '—',
        ]),
        { indent: '  ' },
      ),
      '',
    );
  } else {
    lines.push('  No HTTP(s) connection on the spoke aliases yet.', '');
  }
  if (checks.length) {
    lines.push('Checks against the desired state:');
    for (const issue of checks) lines.push(`  ${issue.severity}: ${formatIssue(issue)}`);
  }
  return lines;
}
