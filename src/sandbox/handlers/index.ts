import type { CredentialKind, EndpointName } from '../../wecom/endpoints.ts';
import { ERRCODE } from '../../wecom/errcodes.ts';
import { checkTrustedIp } from '../server/access.ts';
import { ApiError } from '../server/api-error.ts';
import { requireStr, type Params } from '../server/params.ts';
import { contactWayHandlers } from './contact-ways.ts';
import { customerHandlers } from './customers.ts';
import { directoryHandlers } from './directory.ts';
import { groupHandlers } from './groups.ts';
import { msgauditHandlers } from './msgaudit.ts';
import { tagHandlers } from './tags.ts';
import { transferHandlers } from './transfers.ts';
import type { Handler, SandboxState } from './types.ts';

/**
 * One handler per catalogue endpoint. The `satisfies` clause makes a new catalogue entry without a
 * handler a type error, so the sandbox cannot silently fall behind the catalogue.
 */
export const handlers = {
  ...directoryHandlers,
  ...customerHandlers,
  ...tagHandlers,
  ...groupHandlers,
  ...contactWayHandlers,
  ...transferHandlers,
  ...msgauditHandlers,
} satisfies Record<Exclude<EndpointName, 'token.get'>, Handler>;

/** gettoken (wecom-api.md §1): errors in the order WeCom checks them. */
export function getToken(query: Params, state: SandboxState, ip: string): Record<string, unknown> {
  if (!query.corpid) throw new ApiError(ERRCODE.CORP_ID_MISSING);
  if (!query.corpsecret) throw new ApiError(ERRCODE.SECRET_MISSING);
  const corpId = requireStr(query, 'corpid');
  const secret = requireStr(query, 'corpsecret');
  if (corpId !== state.corpId) throw new ApiError(ERRCODE.INVALID_CORP_ID);
  const kind = (Object.keys(state.secrets) as CredentialKind[]).find((k) => state.secrets[k] === secret);
  if (!kind) throw new ApiError(ERRCODE.INVALID_SECRET);
  checkTrustedIp(kind, ip, state.rules);
  const issued = state.tokens.issue(kind);
  return { access_token: issued.token, expires_in: issued.expiresIn };
}
