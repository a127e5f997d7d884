import { t, type Lang, type Text } from '../../i18n/index.ts';

/** The words for the directory's coded values (wecom-api.md §2–3), shown in tables instead of the codes. */

/** A coded value in words; a code the table does not know shows as the number. */
export function label(table: Record<number, Text>, value: number | null, lang: Lang): string | null {
  return value === null ? null : t(table[value] ?? { zh: String(value), en: String(value) }, lang);
}

export const EMPLOYEE_STATUS: Record<number, Text> = {
  1: { zh: '已激活', en: 'active' }, 2: { zh: '已禁用', en: 'disabled' }, 4: { zh: '未激活', en: 'not activated' }, 5: { zh: '已退出', en: 'left' },
};

export const GENDER: Record<number, Text> = { 0: { zh: '未知', en: 'unknown' }, 1: { zh: '男', en: 'male' }, 2: { zh: '女', en: 'female' } };

export const CUSTOMER_TYPE: Record<number, Text> = { 1: { zh: '微信', en: 'WeChat' }, 2: { zh: '企业微信', en: 'WeCom' } };

/** How a member added a customer (`add_way`). */
export const ADD_WAY: Record<number, Text> = {
  0: { zh: '未知来源', en: 'unknown' },
  1: { zh: '扫描二维码', en: 'QR code' },
  2: { zh: '搜索手机号', en: 'phone search' },
  3: { zh: '名片分享', en: 'card shared' },
  4: { zh: '群聊', en: 'group chat' },
  5: { zh: '手机通讯录', en: 'phone contacts' },
  6: { zh: '微信联系人', en: 'WeChat contact' },
  7: { zh: '微信好友申请', en: 'WeChat friend request' },
  8: { zh: '第三方应用自动添加的客服', en: 'third-party app support' },
  9: { zh: '搜索邮箱', en: 'email search' },
  201: { zh: '内部成员共享', en: 'shared by a colleague' },
  202: { zh: '管理员/负责人分配', en: 'assigned by an admin' },
};

/** 0 normal, 1 owner resigned, 2 inheritance in progress, 3 inheritance done. */
export const GROUP_STATUS: Record<number, Text> = {
  0: { zh: '正常', en: 'normal' }, 1: { zh: '群主离职', en: 'owner left' }, 2: { zh: '继承中', en: 'being inherited' }, 3: { zh: '已继承', en: 'inherited' },
};

export const MEMBER_TYPE: Record<number, Text> = { 1: { zh: '成员', en: 'member' }, 2: { zh: '客户', en: 'customer' } };
