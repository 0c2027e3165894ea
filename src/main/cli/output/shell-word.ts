// Commands the CLI suggests ("spokesmith report Acme Dev …") are copied into a shell: an instance name
// with a space or a quote must arrive as one argument, so it is quoted unless it is plainly safe.

const PLAIN = /^[A-Za-z0-9_.,:/@%+=-]+$/;

/** One shell argument, in double quotes (with ", \, $ and ` escaped) unless it needs none. */
export function shellWord(text: string): string {
  return PLAIN.test(text) ? text : `"${text.replace(/["\\$`]/g, '\\$&')}"`;
}
