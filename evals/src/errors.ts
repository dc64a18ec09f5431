/** Why an eval could not run (not: why it failed its thresholds). The CLI prints `code: message`. */
export type EvalRunErrorCode =
  | 'usage'
  | 'suite-invalid'
  | 'suite-not-found'
  | 'data-invalid'
  | 'data-missing'
  | 'target-unavailable';

export class EvalRunError extends Error {
  readonly code: EvalRunErrorCode;

  constructor(code: EvalRunErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvalRunError';
    this.code = code;
  }
}
