/**
 * Errors raised by the runner. `TfConfigError` and `TfPlanError` are raised
 * before anything runs (Terraform's validate/plan phase); `ApplyError` after
 * an apply started, carrying what was done so far.
 */
import type { ApplyResult } from './apply-result';

export class TfConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TfConfigError';
  }
}

export class TfPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TfPlanError';
  }
}

export class TfStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TfStateError';
  }
}

export class ApplyError extends Error {
  constructor(
    message: string,
    readonly result: ApplyResult,
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}
