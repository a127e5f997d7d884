import type { Text } from '../i18n/index.ts';
import type { EntityName } from '../store/entities.ts';
import type { SyncScope } from './progress.ts';

/** What people read for each sync scope and stored entity (progress bars, the summary table). */

export const SCOPE_LABELS: Record<SyncScope, Text> = {
  directory: { zh: '通讯录', en: 'directory' },
  customers: { zh: '客户', en: 'customers' },
  groups: { zh: '客户群', en: 'groups' },
};

/** Typed by the entity table, so a new entity cannot reach the summary without its words. */
export const ENTITY_LABELS: Record<EntityName, Text> = {
  departments: { zh: '部门', en: 'departments' },
  employees: { zh: '成员', en: 'employees' },
  member_tags: { zh: '成员标签', en: 'member tags' },
  customers: { zh: '客户', en: 'customers' },
  follow_relations: { zh: '跟进关系', en: 'follow relations' },
  corp_tag_groups: { zh: '客户标签组', en: 'customer tag groups' },
  customer_groups: { zh: '客户群', en: 'customer groups' },
  contact_ways: { zh: '联系我方式', en: 'contact ways' },
};
