import type { Text } from '../i18n/index.ts';
import type { CredentialKind } from '../wecom/endpoints.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import { WecomApiError } from '../wecom/errors.ts';
import type { WecomClient } from '../wecom/client.ts';
import type { CheckResult } from './report.ts';
import { failure, probe, skipped, type CheckHead, type Diagnosis } from './probe.ts';

/** How many follow users to try before concluding nobody has customers (84061 = no customers). */
const FOLLOW_USERS_TRIED = 5;

const NOT_ALLOWED_APP: Diagnosis = (err) => err.errcode === ERRCODE.API_FORBIDDEN ? {
  message: {
    zh: '自建应用没有客户联系权限',
    en: 'The self-built app has no customer-contact permission',
  },
  fix: {
    zh: '在 客户联系 → 客户 → API →「可调用应用」中加入该自建应用；或在 客户联系 → 客户 → API 复制 Secret 填到 CUSTOMER_SECRET',
    en: 'Add the self-built app under Customer Contact → Customers → API → "Apps allowed to call"; or copy the Secret there into CUSTOMER_SECRET',
  },
} : undefined;

/**
 * Customer contact: the follow-user list, then one customer. Uses CUSTOMER_SECRET when configured,
 * else the self-built app (allowed when it is in 客户联系 →「可调用应用」).
 */
export async function customerChecks(client: WecomClient, configured: Partial<Record<CredentialKind, string>>): Promise<CheckResult[]> {
  const credential: CredentialKind | undefined = configured.customer ? 'customer' : configured.app ? 'app' : undefined;
  const head = (id: string, title: Text): CheckHead => ({ id: `customer.${id}`, credential: credential ?? 'customer', title });
  const followHead = head('follow_users', { zh: '客户联系：配置了客户联系的成员', en: 'Customer contact: members with customer contact' });
  if (!credential) {
    return [skipped(followHead, { zh: '未配置 CUSTOMER_SECRET 或 APP_SECRET', en: 'Neither CUSTOMER_SECRET nor APP_SECRET is configured' })];
  }
  const checks: CheckResult[] = [];
  const follow = await probe(
    followHead,
    () => client.call('externalcontact.getFollowUserList', {}, { credential }),
    (res) => ({ message: { zh: '{count} 名成员可联系客户', en: '{count} members can contact customers' }, vars: { count: res.follow_user?.length ?? 0 } }),
    credential === 'app' ? NOT_ALLOWED_APP : undefined,
  );
  checks.push(follow.check);
  if (!follow.value) return checks;

  const customerHead = head('one_customer', { zh: '客户联系：读取一位客户', en: 'Customer contact: read one customer' });
  for (const userid of (follow.value.follow_user ?? []).slice(0, FOLLOW_USERS_TRIED)) {
    let ids: string[];
    try {
      ids = (await client.call('externalcontact.list', { userid }, { credential })).external_userid ?? [];
    } catch (err) {
      if (err instanceof WecomApiError && err.errcode === ERRCODE.NOT_EXTERNAL_CONTACT) continue;
      checks.push(failure(customerHead, err));
      return checks;
    }
    if (!ids.length) continue;
    const one = await probe(
      customerHead,
      () => client.call('externalcontact.get', { external_userid: ids[0] }, { credential }),
      (res) => ({
        message: { zh: '可读取客户详情（{followers} 位跟进成员）', en: 'Customer details readable ({followers} following members)' },
        vars: { followers: res.follow_user?.length ?? 0 },
      }),
    );
    checks.push(one.check);
    return checks;
  }
  checks.push(skipped(customerHead, {
    zh: '前 {count} 名成员都没有客户，未能读取客户详情', en: 'None of the first {count} members has customers; no customer to read',
  }, { count: FOLLOW_USERS_TRIED }));
  return checks;
}
