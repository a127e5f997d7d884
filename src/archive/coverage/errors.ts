import { isUserError } from '../../util/errors.ts';
import { WecomApiError } from '../../wecom/errors.ts';

/**
 * Errors of the coverage refresh. An error about one item (a member who left, a customer or group
 * WeCom does not know) is noted and the refresh goes on; anything else (a wrong secret, the trusted
 * IP, the network) stops that part, since every further call would fail the same way.
 */

/** Errcodes that concern the ids sent, not the set-up (wecom-api.md §6). */
const ITEM_ERRCODES = new Set([
  40003, // invalid userid
  40058, // invalid parameter (an id WeCom does not take)
  40096, // invalid external userid
  60111, // userid not found
  84061, // not an external contact
  90501, // not a customer group (e.g. created from WeChat)
  301059, // not an internal group
]);

export function isItemError(err: unknown): err is WecomApiError {
  return err instanceof WecomApiError && ITEM_ERRCODES.has(err.errcode);
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
