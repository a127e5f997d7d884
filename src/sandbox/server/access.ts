import { endpoints, type CredentialKind, type EndpointName } from '../../wecom/endpoints.ts';
import { ERRCODE } from '../../wecom/errcodes.ts';
import type { SandboxRules } from '../options.ts';
import { ApiError } from './api-error.ts';
import { ipAllowed } from './ip.ts';

/**
 * Which token may call what (wecom-api.md §0, §2.1, §3, §4). The catalogue says which credential
 * kinds an endpoint accepts; the rules add the switches of a real corp: the contact-sync assistant's
 * 48009 on detail reads, the app's 「可调用应用」 entry for customer APIs, and trusted IPs.
 */

/** Read-detail APIs the contact-sync token may no longer call from a new IP (§2.1 item 2). */
export const CONTACT_ASSISTANT_DETAIL_READS: readonly EndpointName[] = ['department.list', 'user.simplelist', 'user.list', 'user.get'];

const isDirectoryRead = (name: EndpointName) => /^(user|department|tag)\//.test(endpoints[name].path);
const isArchive = (name: EndpointName) => endpoints[name].path.startsWith('msgaudit/');

export function checkPermission(name: EndpointName, kind: CredentialKind, rules: SandboxRules): void {
  const allowed = (endpoints[name].credentials as readonly CredentialKind[]).includes(kind);
  if (kind === 'contacts' && (CONTACT_ASSISTANT_DETAIL_READS.includes(name) || (!allowed && isDirectoryRead(name)))) {
    if (rules.contactsDetailForbidden || !allowed) throw new ApiError(ERRCODE.CONTACT_SYNC_FORBIDDEN);
    return;
  }
  if (allowed) {
    const customerApi = (endpoints[name].credentials as readonly CredentialKind[]).includes('customer');
    if (kind === 'app' && customerApi && !rules.appCustomerAllowed) throw new ApiError(ERRCODE.API_FORBIDDEN, 'app is not allowed to call customer contact apis');
    return;
  }
  if (kind === 'app' && isArchive(name) && rules.appArchiveAllowed) return;
  throw new ApiError(ERRCODE.API_FORBIDDEN);
}

/** 企业可信IP applies to the self-built app and the contact-sync assistant (§8). */
export function checkTrustedIp(kind: CredentialKind, ip: string, rules: SandboxRules): void {
  if ((kind === 'app' || kind === 'contacts') && !ipAllowed(ip, rules.trustedIps)) throw new ApiError(ERRCODE.IP_NOT_ALLOWED);
}
