// `spokesmith schema`: prints the JSON Schema of the --config file (the same file as
// resources/schema/desired-state.schema.json), for an editor's validation or a script's checks.
import { configFileJsonSchema } from '../../../shared/domain/config-json-schema';
import type { CommandContext } from '../context';
import { EXIT, type ExitCode } from '../exit-codes';

export function schemaText(): string {
  return `${JSON.stringify(configFileJsonSchema(), null, 2)}\n`;
}

export async function schemaCommand(ctx: CommandContext): Promise<ExitCode> {
  // Raw, not ctx.out: that shows every control character escaped, newlines included, and would print the
  // document on one line as "{\n  …". JSON.stringify has already escaped whatever the schema quotes.
  ctx.io.stdout.write(schemaText());
  return EXIT.ok;
}
