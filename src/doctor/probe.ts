import type { Text } from '../i18n/index.ts';
import { isUserError, type UserError } from '../util/errors.ts';
import { WecomApiError } from '../wecom/errors.ts';
import type { CheckResult, CheckStatus } from './report.ts';

/** What a check is about, before it runs. */
export interface CheckHead {
  id: string;
  credential: string | null;
  title: Text;
}

/** A check's outcome when the call worked. */
export interface Outcome {
  status?: CheckStatus;
  message: Text;
  fix?: Text;
  vars?: Record<string, string | number>;
}

/** A doctor-specific reading of an errcode for one check, overriding the catalogue's generic advice. */
export type Diagnosis = (err: WecomApiError) => Outcome | undefined;

export function result(head: CheckHead, outcome: Outcome, errcode: number | null = null): CheckResult {
  return { ...head, status: outcome.status ?? 'pass', errcode, message: outcome.message, fix: outcome.fix, vars: outcome.vars };
}

/** A failed call as a check line: the error's own what/why/fix, unless `diagnose` knows better. */
export function failure(head: CheckHead, err: unknown, diagnose?: Diagnosis): CheckResult {
  if (err instanceof WecomApiError) {
    const special = diagnose?.(err);
    if (special) return result(head, { status: 'fail', ...special, vars: { ...err.vars, ...special.vars } }, err.errcode);
  }
  if (isUserError(err)) return result(head, { status: 'fail', ...fromUserError(err) }, errcodeOf(err));
  throw err;
}

/** Runs one probe: its outcome on success, its diagnosed failure otherwise. Bugs still throw. */
export async function probe<T>(
  head: CheckHead,
  call: () => Promise<T>,
  onSuccess: (value: T) => Outcome,
  diagnose?: Diagnosis,
): Promise<{ check: CheckResult; value?: T; error?: unknown }> {
  try {
    const value = await call();
    return { check: result(head, onSuccess(value)), value };
  } catch (error) {
    return { check: failure(head, error, diagnose), error };
  }
}

export function skipped(head: CheckHead, message: Text, vars?: Record<string, string | number>): CheckResult {
  return result(head, { status: 'skip', message, vars });
}

function fromUserError(err: UserError): Outcome {
  const message: Text = err.why
    ? { zh: `${err.what.zh}。${err.why.zh}`, en: `${err.what.en}. ${err.why.en}` }
    : err.what;
  return { message, fix: err.fix, vars: err.vars };
}

function errcodeOf(err: unknown): number | null {
  return err instanceof WecomApiError ? err.errcode : null;
}
