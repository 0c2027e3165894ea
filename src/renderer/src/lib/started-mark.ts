// Imported first by main.ts, so this module's body is the first of the bundle to run: its User Timing mark
// says when the first script had been received and compiled and evaluation began. The browser benchmark
// (test/e2e/harness/first-render.ts) reads it to split "compiled" from "evaluated" (issue 11).
performance.mark('spokesmith:evaluation-started');
