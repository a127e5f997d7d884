import { CallbackError, type CallbackReason } from './errors.ts';

/** For tests: the reason a call was refused with, 'ok' when it was not; any other exception propagates. */
export function outcome(fn: () => unknown): CallbackReason | 'ok' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof CallbackError) return err.reason;
    throw err;
  }
}
