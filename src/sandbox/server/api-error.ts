import { API_ERRCODES, ERRCODE } from '../../wecom/errcodes.ts';

/**
 * WeCom-shaped errors. Every answer is HTTP 200 with `errcode`/`errmsg`; errmsg starts with WeCom's
 * observed wording and ends with the diagnostics WeCom appends (wecom-api.md §6), e.g.
 * `not allow to access from your ip, hint: [...], from ip: 1.2.3.4, more info at …?e=60020`.
 */

/** errmsg prefixes from the error-code catalogue (wecom-api.md §6; its UNVERIFIED set marks our own wordings). */
/** WeCom's errmsg for the code, with the detail after a comma. */
function errmsgOf(errcode: number, detail?: string): string {
  return `${API_ERRCODES[errcode]?.errmsg ?? 'error'}${detail ? `, ${detail}` : ''}`;
}

/** Thrown by handlers; the server turns it into the errcode/errmsg body. */
export class ApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly detail?: string,
  ) {
    super(`${errcode} ${errmsgOf(errcode, detail)}`);
    this.name = 'ApiError';
  }
}

export function errmsgFor(errcode: number, detail: string | undefined, ip: string, hint: string): string {
  return `${errmsgOf(errcode, detail)}, hint: [${hint}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

/** An `{errcode, errmsg}` body without the hints (the archive's HTTP faces and per-item failures). */
export function wecomAnswer(errcode: number, detail?: string): { errcode: number; errmsg: string } {
  return { errcode, errmsg: errmsgOf(errcode, detail) };
}

/** Shorthands for the common parameter errors. */
export const missing = (name: string) => new ApiError(ERRCODE.INVALID_PARAMETER, `missing ${name}`);
export const invalid = (name: string, why = 'invalid value') => new ApiError(ERRCODE.INVALID_PARAMETER, `${name}: ${why}`);
