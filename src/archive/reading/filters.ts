import type { Kysely } from 'kysely';
import type { Text } from '../../i18n/index.ts';
import type { Database } from '../../store/database.ts';
import { isUserError, UserError } from '../../util/errors.ts';
import { MSGTYPES } from '../msgtypes.ts';

/** What people type for the reading commands, turned into what the queries take. */

const KIND_TEXT: Record<'employee' | 'customer', Text> = {
  employee: { zh: '成员', en: 'employee' },
  customer: { zh: '客户', en: 'customer' },
};

/**
 * An employee or customer given by id or by exact name. An id the directory does not know is used as
 * given (a member who left, a customer never synced); a name nobody has, or several people share,
 * is an error that lists the candidates.
 */
export async function resolvePerson(
  db: Kysely<Database>, corpId: string, kind: 'employee' | 'customer', given: string,
): Promise<string> {
  const text = given.trim();
  const rows: { id: string; name: string | null; deleted_at: number | null }[] = kind === 'employee'
    ? await db.selectFrom('employees').select(['userid as id', 'name', 'deleted_at']).where('corp_id', '=', corpId)
      .where((eb) => eb.or([eb('userid', '=', text), eb('name', '=', text)])).orderBy('userid').limit(20).execute()
    : await db.selectFrom('customers').select(['external_userid as id', 'name', 'deleted_at']).where('corp_id', '=', corpId)
      .where((eb) => eb.or([eb('external_userid', '=', text), eb('name', '=', text)])).orderBy('external_userid').limit(20).execute();
  if (rows.some((r) => r.id === text)) return text;
  const byName = rows.filter((r) => r.deleted_at === null);
  if (byName.length === 1) return byName[0]!.id;
  if (byName.length > 1) {
    throw new UserError('archive_ambiguous_person', {
      what: { zh: '有 {count} 个{kind}叫「{name}」：{ids}', en: '{count} {kind}s are called "{name}": {ids}' },
      fix: { zh: '改用其中一个 ID', en: 'Give one of the ids instead' },
      vars: { count: byName.length, kind: KIND_TEXT[kind].zh, name: text, ids: byName.map((p) => p.id).join(', ') },
    });
  }
  // Ids are ASCII; anything else was meant as a name.
  if (/^[\x21-\x7e]+$/.test(text)) return text;
  throw new UserError('archive_unknown_person', {
    what: { zh: '找不到{kind}「{name}」', en: 'No {kind} named "{name}"' },
    fix: {
      zh: '检查名字，或改用 ID；名字来自已同步的通讯录和客户（wecom-archive sync）',
      en: 'Check the name or give the id; names come from the synced directory and customers (wecom-archive sync)',
    },
    vars: { kind: KIND_TEXT[kind].zh, name: text },
  });
}

/**
 * The same person in each corp the reading covers: a name may be known in one corp and not another
 * (those corps are left out: nobody there is meant), an id is taken everywhere. A name nobody in any
 * corp has is the usual error; a name shared inside one corp stays an error.
 */
export async function resolvePersonIn(
  db: Kysely<Database>, corpIds: readonly string[], kind: 'employee' | 'customer', given: string,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let unknown: unknown;
  for (const corpId of corpIds) {
    try {
      found.set(corpId, await resolvePerson(db, corpId, kind, given));
    } catch (err) {
      if (!isUserError(err) || err.code !== 'archive_unknown_person') throw err;
      unknown ??= err;
    }
  }
  if (found.size === 0 && unknown) throw unknown;
  return found;
}

const TYPE_NAMES: readonly string[] = MSGTYPES.map((spec) => spec.name);

/** `--type text,image` → ['text', 'image'], every name checked against msgtypes.ts. */
export function parseMsgtypes(given: string | undefined): string[] | undefined {
  if (given === undefined) return undefined;
  const types = given.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = types.filter((type) => !TYPE_NAMES.includes(type));
  if (unknown.length > 0 || types.length === 0) {
    throw new UserError('archive_bad_msgtype', {
      what: { zh: '未知的消息类型：{types}', en: 'Unknown message type: {types}' },
      fix: { zh: '可用的类型：{known}', en: 'Known types: {known}' },
      vars: { types: unknown.join(', ') || given, known: TYPE_NAMES.join(', ') },
    });
  }
  return types;
}
