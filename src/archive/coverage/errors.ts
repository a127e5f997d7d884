import { isUserError } from '../../util/errors.ts';
import { isItemErrcode } from '../../wecom/errcodes.ts';
import { WecomApiError } from '../../wecom/errors.ts';

/**
 * Errors of the coverage refresh. An error about one item (a member who left, a customer or group
 * WeCom does not know) is noted and the refresh goes on; anything else (a wrong secret, the trusted
 * IP, the network) stops that part, since every further call would fail the same way.
 */

/** An errcode that concerns the ids sent, not the set-up: the catalogue's `item` category. */
export function isItemError(err: unknown): err is WecomApiError {
  return err instanceof WecomApiError && isItemErrcode(err.errcode);
}

/**
 * What is stored and shown for a failure: `errcode errmsg` for WeCom (the code is what people search
 * for), else the error's what and why in English (stored once, read in either language).
 */
export function errorText(err: unknown): string {
  if (err instanceof WecomApiError) return `${err.errcode} ${err.errmsg}`.trim();
  if (isUserError(err)) {
    const { what, why } = err.describe('en');
    return why ? `${what} (${why})` : what;
  }
  throw err;
}
