import type { Kysely } from 'kysely';
import { CONSENT_STATUSES, type ConsentStatus } from '../../store/archive-coverage.table.ts';
import type { Database } from '../../store/database.ts';
import { chunk } from '../../store/sql-kit.ts';
import { syncStateRepository } from '../../store/sync-state.repository.ts';
import type { WecomClient } from '../../wecom/client.ts';
import type { CheckRoomAgreeRes } from '../../wecom/types-archive.ts';
import { mapLimit } from '../../util/parallel.ts';
import { parseMessage } from '../parser/index.ts';
import { participantIds } from '../reading/conversations.ts';
import { NameBook } from '../reading/names.ts';
import { errorText, isItemError } from './errors.ts';
import { upsertConsents, type ConsentRow } from './store.ts';

/**
 * Customers' consent to archiving, from both places it shows: the agree/disagree messages of the
 * archive itself (archive-sdk.md §4.2), and WeCom's answer for every customer the archive has seen,
 * check_single_agree for 1:1 chats and check_room_agree for customer groups (wecom-api.md §4).
 */

/** check_single_agree takes at most 100 pairs (301060 beyond). */
export const PAIRS_PER_CALL = 100;
const PARALLEL_CALLS = 4;
const PAGE = 500;
/** Where the message scan stopped: the highest seq looked at. */
export const CONSENT_CURSOR = 'archive-coverage:consent-messages';

/** WeCom sends seconds; the store keeps ms. */
const fromSeconds = (value: unknown) => (typeof value === 'number' && value > 0 ? value * 1000 : 0);
const STATUSES = new Set<string>(CONSENT_STATUSES);

/** Reads new agree/disagree messages (all of them with `full`) into the consent history. */
export async function consentFromMessages(db: Kysely<Database>, corpId: string, now: number, full = false): Promise<number> {
  const head = await db.selectFrom('messages').select((eb) => eb.fn.max('seq').as('max_seq')).where('corp_id', '=', corpId).executeTakeFirst();
  if (head?.max_seq === null || head?.max_seq === undefined) return 0;
  const end = BigInt(head.max_seq);
  const saved = full ? undefined : await syncStateRepository.getCursor(db, corpId, CONSENT_CURSOR);
  let after = saved === undefined ? -1n : BigInt(saved);
  let found = 0;
  for (;;) {
    const rows = await db.selectFrom('messages').select(['seq', 'msgid', 'raw_json', 'msgtime'])
      .where('corp_id', '=', corpId).where('seq', '>', after).where('seq', '<=', end)
      .where('msgtype', 'in', ['agree', 'disagree']).where('status', '=', 'decrypted')
      .orderBy('seq').limit(PAGE).execute();
    const consents: ConsentRow[] = [];
    for (const row of rows) {
      const consent = consentOfMessage(row.raw_json, row.seq, row.msgid, row.msgtime, now);
      if (consent) consents.push(consent);
    }
    await upsertConsents(db, corpId, consents);
    found += consents.length;
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.seq;
  }
  await syncStateRepository.setCursor(db, corpId, CONSENT_CURSOR, end.toString(), now);
  return found;
}

/** The customer, towards whom (the member in a 1:1 chat, or the group), and when. */
function consentOfMessage(raw: string | null, seq: bigint, msgid: string, msgtime: number | null, now: number): ConsentRow | undefined {
  if (!raw) return undefined;
  const parsed = parseMessage(raw, { seq, msgid });
  const consent = parsed.consent;
  if (!consent) return undefined;
  const customer = consent.userid || (parsed.sender?.kind === 'customer' ? parsed.sender.id : '');
  const everyone = [parsed.sender, ...parsed.receivers].filter((p) => p !== null);
  const member = everyone.find((p) => p.id !== customer && p.kind === 'employee');
  const party = parsed.roomid ? { party_kind: 'room' as const, party_id: parsed.roomid } : member
    ? { party_kind: 'employee' as const, party_id: member.id } : undefined;
  if (!customer || !party) return undefined;
  return {
    external_userid: customer, ...party, status: consent.kind === 'agree' ? 'Agree' : 'Disagree',
    status_change_time: consent.time ?? msgtime ?? 0, source: 'message', msgid, checked_at: now,
  };
}

export interface ApiConsentOutcome {
  pairs: number;
  rooms: number;
  /** Items WeCom refused (a member who left…), as `id: errcode errmsg`. */
  skipped: string[];
}

/** Asks WeCom about every (member, customer) pair of the 1:1 chats, and every customer group. */
export async function consentFromApi(db: Kysely<Database>, corpId: string, client: WecomClient, now: number): Promise<ApiConsentOutcome> {
  const outcome: ApiConsentOutcome = { pairs: 0, rooms: 0, skipped: [] };
  const batches = chunk(await singlePairs(db, corpId), PAIRS_PER_CALL);
  await mapLimit(batches, PARALLEL_CALLS, async (batch) => {
    const rows = await checkPairs(client, batch, now, outcome.skipped);
    await upsertConsents(db, corpId, rows);
    outcome.pairs += rows.length;
  });
  const rooms = await customerRooms(db, corpId);
  await mapLimit(rooms, PARALLEL_CALLS, async (roomid) => {
    try {
      const res = await client.call('msgaudit.checkRoomAgree', { roomid }, { credential: 'archive' });
      await upsertConsents(db, corpId, apiRows(res.agreeinfo, () => ({ party_kind: 'room', party_id: roomid }), now));
      outcome.rooms += 1;
    } catch (err) {
      if (!isItemError(err)) throw err;
      outcome.skipped.push(`${roomid}: ${errorText(err)}`);
    }
  });
  return outcome;
}

interface Pair { userid: string; customer: string }

/** WeCom's answer (check_single_agree or check_room_agree) as consent rows, towards `partyOf` each. */
function apiRows<A extends CheckRoomAgreeRes['agreeinfo'][number]>(
  info: A[] | undefined, partyOf: (a: A) => Pick<ConsentRow, 'party_kind' | 'party_id'>, now: number,
): ConsentRow[] {
  return (info ?? []).filter((a) => STATUSES.has(a.agree_status)).map((a) => ({
    external_userid: a.exteranalopenid, ...partyOf(a), status: a.agree_status as ConsentStatus,
    status_change_time: fromSeconds(a.status_change_time), source: 'api', msgid: null, checked_at: now,
  }));
}

/**
 * One call per batch; when WeCom refuses a batch because of one pair (a member who left), the batch
 * is halved until the culprit stands alone, so one bad pair costs log2(100) calls, not the batch.
 */
async function checkPairs(client: WecomClient, batch: Pair[], now: number, skipped: string[]): Promise<ConsentRow[]> {
  try {
    // WeCom's own spelling: `exteranalopenid` (it carries an external_userid).
    const res = await client.call('msgaudit.checkSingleAgree',
      { info: batch.map((p) => ({ userid: p.userid, exteranalopenid: p.customer })) }, { credential: 'archive' });
    return apiRows(res.agreeinfo, (a) => ({ party_kind: 'employee', party_id: a.userid }), now);
  } catch (err) {
    if (!isItemError(err)) throw err;
    if (batch.length === 1) {
      skipped.push(`${batch[0]!.userid} ↔ ${batch[0]!.customer}: ${errorText(err)}`);
      return [];
    }
    const half = Math.ceil(batch.length / 2);
    return [...await checkPairs(client, batch.slice(0, half), now, skipped), ...await checkPairs(client, batch.slice(half), now, skipped)];
  }
}

/** Member–customer pairs of the archive's 1:1 chats, from the conversation ids. */
async function singlePairs(db: Kysely<Database>, corpId: string): Promise<Pair[]> {
  const rows = await db.selectFrom('conversations').select('conversation_id').where('corp_id', '=', corpId)
    .where('kind', '=', 'single').orderBy('conversation_id').execute();
  const names = await new NameBook(db, corpId).load(rows.flatMap((r) => participantIds(r.conversation_id, 'single')));
  const pairs: Pair[] = [];
  for (const row of rows) {
    const people = participantIds(row.conversation_id, 'single').map((id) => names.party(id));
    const member = people.find((p) => p.kind === 'employee');
    const customer = people.find((p) => p.kind === 'customer');
    if (people.length === 2 && member && customer) pairs.push({ userid: member.id, customer: customer.id });
  }
  return pairs;
}

/** Group conversations that are customer groups (internal groups have no customers to ask). */
async function customerRooms(db: Kysely<Database>, corpId: string): Promise<string[]> {
  const rows = await db.selectFrom('conversations as c')
    .innerJoin('archive_rooms as r', (j) => j.onRef('r.corp_id', '=', 'c.corp_id').onRef('r.roomid', '=', 'c.conversation_id'))
    .select('c.conversation_id').where('c.corp_id', '=', corpId).where('c.kind', '=', 'group').where('r.room_type', '=', 'customer')
    .orderBy('c.conversation_id').execute();
  return rows.map((r) => r.conversation_id);
}
