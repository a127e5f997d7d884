import type { KnownEvent } from '../wecom/callback/parse-event.ts';
import { nothing, type ApplyContext, type PreparedEffect } from './context.ts';
import { prepareCustomer } from './customers.ts';
import { prepareDirectory } from './directory.ts';
import { prepareGroup, prepareTags } from './groups.ts';

/**
 * One event → its effect, by family. Reads happen here; the returned `write` runs in the
 * transaction that marks the inbox row applied (services/events.ts).
 */
export function prepareEffect(ctx: ApplyContext, event: KnownEvent): Promise<PreparedEffect> {
  switch (event.kind) {
    case 'change_contact.create_user':
    case 'change_contact.update_user':
    case 'change_contact.delete_user':
    case 'change_contact.create_party':
    case 'change_contact.update_party':
    case 'change_contact.delete_party':
    case 'change_contact.update_tag':
      return prepareDirectory(ctx, event);
    case 'change_external_contact.add_external_contact':
    case 'change_external_contact.edit_external_contact':
    case 'change_external_contact.add_half_external_contact':
    case 'change_external_contact.del_external_contact':
    case 'change_external_contact.del_follow_user':
    case 'change_external_contact.transfer_fail':
    case 'change_external_contact.msg_audit_approved':
      return prepareCustomer(ctx, event);
    case 'change_external_chat.create':
    case 'change_external_chat.update':
    case 'change_external_chat.dismiss':
      return prepareGroup(ctx, event);
    case 'change_external_tag.create':
    case 'change_external_tag.update':
    case 'change_external_tag.delete':
    case 'change_external_tag.shuffle':
      return prepareTags(ctx, event);
    case 'msgaudit_notify':
      // Nothing to write: the run reports the corp, and the jobs pull its archive now.
      return Promise.resolve(nothing('archive_notified'));
  }
}
