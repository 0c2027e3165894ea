// The few WHATWG globals that exist in every place shared code runs (Node, Chromium, the sandboxed
// preload). Declared by hand because tsconfig.shared.json deliberately loads neither the DOM nor Node types.
declare class URL {
  constructor(input: string, base?: string);
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
  readonly hostname: string;
  readonly origin: string;
  readonly pathname: string;
  readonly search: string;
  readonly href: string;
  toString(): string;
}
