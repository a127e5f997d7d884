import type { Config } from '../config/types.ts';
import type { Text } from '../i18n/index.ts';
import { ERRCODE } from '../wecom/errcodes.ts';
import type { CheckResult } from './report.ts';

/**
 * Which of the guide's two set-ups fits what doctor found: one self-built app with every permission
 * (A), or one app per function (B). Both work; the advice says what is missing from the chosen one.
 */
export function setupAdvice(checks: CheckResult[], config: Config): Text[] {
  const failed = (id: string) => checks.some((c) => c.id === id && c.status === 'fail');
  const advice: Text[] = [];
  if (checks.some((c) => c.id === 'app.department_list' && c.errcode === ERRCODE.CONTACT_SYNC_FORBIDDEN)) {
    advice.push({
      zh: 'APP_SECRET 填的是通讯录同步助手的 Secret。推荐方案 A：创建一个自建应用，授予通讯录、客户联系权限，用它的 Secret 作为 APP_SECRET',
      en: "APP_SECRET holds the contact-sync assistant's secret. Recommended set-up A: create one self-built app with directory and customer-contact permissions and use its secret as APP_SECRET",
    });
    // Which set-up the user is on cannot be told while APP_SECRET is not an app's secret.
    return advice;
  }
  const separate = ['customer', 'contacts'].filter((kind) => config.secrets[kind as 'customer' | 'contacts']);
  if (config.secrets.app && !separate.length) {
    advice.push({
      zh: '当前为方案 A：一个自建应用负责通讯录和客户（会话存档始终使用 CHAT_ARCHIVE_SECRET）。只需维护一个 Secret，但权限较宽',
      en: 'This is set-up A: one self-built app for directory and customers (the archive always uses CHAT_ARCHIVE_SECRET). One secret to maintain, broad permissions',
    });
    if (failed('customer.follow_users')) {
      advice.push({
        zh: '要在方案 A 下同步客户，把该自建应用加入 客户联系 →「可调用应用」；或改用方案 B，配置 CUSTOMER_SECRET',
        en: 'To sync customers with set-up A, add the app under Customer Contact → "Apps allowed to call"; or switch to set-up B with CUSTOMER_SECRET',
      });
    }
  } else if (separate.length) {
    advice.push({
      zh: '当前为方案 B：每个功能一个 Secret，故障互不影响，但需要维护多个 Secret',
      en: 'This is set-up B: one secret per function, failures stay isolated, several secrets to maintain',
    });
  }
  return advice;
}
