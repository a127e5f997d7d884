import type { CallbackEvent, KnownEvent } from '../wecom/callback/parse-event.ts';

/**
 * What an event is about, read from its fields alone (no API call): the record whose events must be
 * applied in arrival order, and the summary kept on the inbox row (entity, record, who acted).
 */

export interface EventSubject {
  /** '' when the event is about no record (unknown events, messages): nothing orders it. */
  recordKey: string;
  entity: string | null;
  record: string | null;
  /** Who made the change, when the event says: the member, or the customer (`del_follow_user`). */
  actor: string | null;
}

const NONE: EventSubject = { recordKey: '', entity: null, record: null, actor: null };

export function subjectOf(event: CallbackEvent): EventSubject {
  if (event.kind === 'unknown') return NONE;
  return knownSubject(event);
}

function knownSubject(event: KnownEvent): EventSubject {
  switch (event.kind) {
    case 'change_contact.create_user':
    case 'change_contact.update_user':
    case 'change_contact.delete_user': {
      const userid = event.fields.UserID ?? '';
      return { recordKey: `user:${userid}`, entity: 'employees', record: userid, actor: null };
    }
    case 'change_contact.create_party':
    case 'change_contact.update_party':
    case 'change_contact.delete_party': {
      const id = event.fields.Id ?? '';
      return { recordKey: `party:${id}`, entity: 'departments', record: id, actor: null };
    }
    case 'change_contact.update_tag': {
      const id = event.fields.TagId ?? '';
      return { recordKey: `member_tag:${id}`, entity: 'member_tags', record: id, actor: null };
    }
    case 'change_external_contact.add_external_contact':
    case 'change_external_contact.edit_external_contact':
    case 'change_external_contact.add_half_external_contact':
    case 'change_external_contact.del_external_contact':
    case 'change_external_contact.del_follow_user':
    case 'change_external_contact.transfer_fail':
    case 'change_external_contact.msg_audit_approved': {
      const { UserID: userid = '', ExternalUserID: customer = '' } = event.fields;
      // Every event of a customer shares one key: they all rewrite the customer's relations.
      const actor = event.kind === 'change_external_contact.del_follow_user' ? customer : userid;
      return { recordKey: `customer:${customer}`, entity: 'follow_relations', record: `${userid}/${customer}`, actor };
    }
    case 'change_external_chat.create':
    case 'change_external_chat.update':
    case 'change_external_chat.dismiss': {
      const id = event.fields.ChatId ?? '';
      return { recordKey: `group:${id}`, entity: 'customer_groups', record: id, actor: null };
    }
    case 'change_external_tag.create':
    case 'change_external_tag.update':
    case 'change_external_tag.delete':
    case 'change_external_tag.shuffle':
      // Each one re-reads the whole library, so they share one key.
      return { recordKey: 'corp_tags', entity: 'corp_tag_groups', record: event.fields.Id ?? '', actor: null };
    case 'msgaudit_notify':
      return { recordKey: '', entity: 'archive', record: null, actor: null };
  }
}
