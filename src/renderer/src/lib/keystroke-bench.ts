// A benchmark helper for "validating both forms on a keystroke" (target: median ≤ 1 ms). It replays typing
// a connection name one character at a time and times exactly what the forms do on each keystroke:
// model → schema input for both forms, then `validateForms` (schema + instance-aware checks). DOM-free, so
// the benchmark harness in src/main/bench can import it and run it under Node.
import type { Snapshot } from '../../../shared/domain/snapshot';
import { toInput, toModel } from './form-model';
import { validateForms } from './form-validation';

export interface KeystrokeTiming {
  keystrokes: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export function measureKeystrokeValidation(
  snapshot: Snapshot | null,
  options: { rounds?: number; warmup?: number; text?: string } = {},
): KeystrokeTiming {
  const { rounds = 20, warmup = 50, text = 'Exchange_Online_Connection_Acme' } = options;
  const main = toModel('main');
  const clientCred = toModel('clientCred');
  const keystroke = (value: string) => {
    main.name = value;
    return validateForms({ main: toInput(main), clientCred: toInput(clientCred) }, snapshot);
  };
  for (let i = 0; i < warmup; i++) keystroke(text.slice(0, (i % text.length) + 1));

  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let i = 1; i <= text.length; i++) {
      const started = performance.now();
      keystroke(text.slice(0, i));
      samples.push(performance.now() - started);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0;
  return { keystrokes: samples.length, medianMs: at(0.5), p95Ms: at(0.95), maxMs: samples.at(-1) ?? 0 };
}
