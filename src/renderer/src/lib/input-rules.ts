// The IPC contract's rules for an instance's and a template's names (src/shared/ipc/contract.ts), checked
// without zod: importing the contract's schemas pulls the whole contract module and its schemas into the
// renderer bundle. Main validates every input again with the schemas themselves, and
// test/component/input-rules.test.ts holds these to the same verdicts and messages.

const INSTANCE_NAME_MAX = 80;
const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function instanceNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Name is required.';
  return trimmed.length > INSTANCE_NAME_MAX ? `Name must be at most ${INSTANCE_NAME_MAX} characters.` : null;
}

export function userNameProblem(username: string): string | null {
  return username.trim() ? null : 'User name is required.';
}

export function templateNameProblem(name: string): string | null {
  return TEMPLATE_NAME.test(name)
    ? null
    : 'A template name is letters, digits and _ . - (it is also its file name).';
}
