// `spokesmith schema`: prints the JSON Schema of the --config file (the same file as
// resources/schema/desired-state.schema.json), for an editor's validation or a script's checks.
import { configFileJsonSchema } from '../../../shared/domain/config-json-schema';
import type { CommandContext } from '../context';
import { EXIT, type ExitCode } from '../exit-codes';

export function schemaText(): string {
  return `${JSON.stringify(configFileJsonSchema(), null, 2)}\n`;
}

export async function schemaCommand(ctx: CommandContext): Promise<ExitCode> {
  // Our own JSON, not instance text: written as a document (ctx.out escapes line breaks in a line).
  ctx.json(configFileJsonSchema());
  return EXIT.ok;
}
