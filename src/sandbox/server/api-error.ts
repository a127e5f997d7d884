/**
 * WeCom-shaped errors. Every answer is HTTP 200 with `errcode`/`errmsg`; errmsg starts with WeCom's
 * observed wording and ends with the diagnostics WeCom appends (wecom-api.md §6), e.g.
 * `not allow to access from your ip, hint: [...], from ip: 1.2.3.4, more info at …?e=60020`.
 */

/** errmsg prefixes, as observed from WeCom where known (wecom-api.md §6; some wordings unverified). */
export const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40003: 'invalid userid',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40058: 'invalid Request Parameter',
  40068: 'invalid tagid',
  40071: 'tag name already exists',
  40096: 'invalid external userid',
  41001: 'access_token missing',
  41002: 'corpid missing',
  41004: 'corpsecret missing',
  41054: 'user not activated',
  42001: 'access_token expired',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  46004: 'user no exist',
  48002: 'api forbidden',
  48009: 'api forbidden for contact assistant',
  60011: 'no privilege to access/modify contact/party/agent',
  60020: 'not allow to access from your ip',
  60111: 'userid not found',
  60123: 'invalid party id',
  81017: 'too many members in scope, owner_filter required',
  84061: 'not external contact',
  84074: 'no external contact permission',
  90500: 'chat owner not resigned',
  90501: 'not customer group',
  301059: 'not internal group',
  301060: 'too many items, at most 100',
};

/** Thrown by handlers; the server turns it into the errcode/errmsg body. */
export class ApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly detail?: string,
  ) {
    super(`${errcode} ${ERRMSG[errcode] ?? 'error'}${detail ? `, ${detail}` : ''}`);
    this.name = 'ApiError';
  }
}

export function errmsgFor(errcode: number, detail: string | undefined, ip: string, hint: string): string {
  const head = `${ERRMSG[errcode] ?? 'error'}${detail ? `, ${detail}` : ''}`;
  return `${head}, hint: [${hint}], from ip: ${ip}, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}

/** Shorthands for the common parameter errors. */
export const missing = (name: string) => new ApiError(40058, `missing ${name}`);
export const invalid = (name: string, why = 'invalid value') => new ApiError(40058, `${name}: ${why}`);
