import { sql, type Kysely } from 'kysely';

/**
 * `switch` entries (a member switching their WeCom client to another company) used to be stored with
 * no conversation and no search text, so nobody could read or find them. The parser now files each
 * in its member's system conversation (`system:<userid>`) with the event's name as search text; this
 * gives the entries stored before the same columns a pull would write now, so `archive verify --deep`
 * agrees with them and they show up in `conversations` and `search`. Frozen in time: the id prefix,
 * the label text and the conversation kind are what the parser wrote on this date.
 */

const PREFIX = 'system:';
const SEARCH_LABEL = '切换企业\nSwitched company\n';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`update messages
    set conversation_id = ${PREFIX} || sender, search_text = ${SEARCH_LABEL} || sender
    where msgtype = 'switch' and status = 'decrypted' and conversation_id is null and sender is not null and sender <> ''`.execute(db);
  // One conversation row each, moved forward only (a pull after the upgrade may have made it already).
  await sql`insert into conversations (corp_id, conversation_id, kind, name, last_msgtime)
    select corp_id, conversation_id, 'single', null, max(msgtime) from messages
    where msgtype = 'switch' and conversation_id like ${`${PREFIX}%`}
    group by corp_id, conversation_id
    on conflict (corp_id, conversation_id) do update set last_msgtime = case
      when conversations.last_msgtime is null or excluded.last_msgtime > conversations.last_msgtime then excluded.last_msgtime
      else conversations.last_msgtime end`.execute(db);
}

/** Back to stored-without-a-home: the rows stay, their system conversation goes. */
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from conversations where conversation_id like ${`${PREFIX}%`}`.execute(db);
  await sql`update messages set conversation_id = null, search_text = null
    where msgtype = 'switch' and conversation_id like ${`${PREFIX}%`}`.execute(db);
}
