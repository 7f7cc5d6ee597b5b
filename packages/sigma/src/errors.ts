/**
 * Errors of the Sigma engine. A rule that cannot run is never fatal for a rule set:
 * the loader turns a {@link SigmaRuleError} into that rule's status and reason.
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';

/**
 * What the engine made of one rule:
 * - `ok`: compiled, will be evaluated;
 * - `not-applicable`: valid, but for a log source edrkit does not observe (auditd, syslog, …);
 * - `unsupported`: valid Sigma, but uses a feature this engine does not implement;
 * - `invalid`: not valid Sigma (bad YAML, missing keys, unknown modifier, bad condition, …).
 */
export type RuleStatus = 'ok' | 'not-applicable' | 'unsupported' | 'invalid';

/** Statuses a {@link SigmaRuleError} can carry. */
export type RuleProblem = Exclude<RuleStatus, 'ok'>;

declare module '@edrkit/core' {
  interface ErrorCodes {
    /** A Sigma rule is not valid Sigma. */
    ERR_SIGMA_INVALID: true;
    /** A Sigma rule uses a feature this engine does not implement. */
    ERR_SIGMA_UNSUPPORTED: true;
    /** A Sigma rule targets a log source edrkit does not observe. */
    ERR_SIGMA_NOT_APPLICABLE: true;
  }
}

const CODES = {
  invalid: 'ERR_SIGMA_INVALID',
  unsupported: 'ERR_SIGMA_UNSUPPORTED',
  'not-applicable': 'ERR_SIGMA_NOT_APPLICABLE',
} as const satisfies Record<RuleProblem, string>;

/**
 * A rule could not be compiled. `status` says whether the rule is wrong (`invalid`),
 * uses something this engine lacks (`unsupported`) or targets a log source edrkit does
 * not observe (`not-applicable`); `where` is the place in the rule (`detection.sel.Image|foo`).
 */
export class SigmaRuleError extends EdrkitError {
  /** The rule status this error implies. */
  readonly status: RuleProblem;
  /** Location inside the rule, e.g. `detection.selection.Image|foobar`, when known. */
  readonly where: string | undefined;

  constructor(status: RuleProblem, message: string, where?: string, options?: ErrorOptions) {
    super(CODES[status], where ? `${where}: ${message}` : message, options);
    this.status = status;
    this.where = where;
  }
}

/** Shorthand for an `invalid` rule error. */
export function invalid(where: string | undefined, message: string): SigmaRuleError {
  return new SigmaRuleError('invalid', message, where);
}

/** Shorthand for an `unsupported` rule error. */
export function unsupported(where: string | undefined, message: string): SigmaRuleError {
  return new SigmaRuleError('unsupported', message, where);
}
