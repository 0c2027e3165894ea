/**
 * Stands in for zod's English locale (`zod/locales`) in the renderer's build (electron.vite.config.ts).
 * Every rule the renderer runs writes its own message (src/shared/domain/desired-state.ts,
 * src/shared/workspace/template-rules.ts); zod's own messages are for a value of the wrong type or an
 * unknown key, which the forms' typed text fields and selects cannot produce. The locale's tables were
 * about 1 kB of the renderer's 80 kB gzipped budget (README, "Benchmarks"). Main, the CLI and the tests
 * keep the real locale.
 */
export function en(): Record<string, never> {
  return {};
}
