import '@testing-library/jest-dom/vitest';

// The app loads the forms' validation rules before it shows any screen with a form (src/renderer/src/lib/
// screens.ts); these tests render such screens directly, so they load the rules first the same way. The
// state before the rules arrive has its own test (test/component/form-rules.test.ts).
import { loadFormRules } from '../../src/renderer/src/lib/form-rules.svelte';
await loadFormRules();
