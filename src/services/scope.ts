import { countConversations, listConversations as listIn, NoConversationError } from '../archive/reading/index.ts';
import type { Store } from '../store/database.ts';
import { scopeRepository } from '../store/scope.repository.ts';
import { ForbiddenError, departmentScoped, grantOf, unlimited } from './access.ts';
import type { Runtime } from './runtime.ts';

/**
 * What a department-scoped actor (a manager; a viewer given departments) reaches in one corp: the
 * members of its department subtrees, the conversations they took part in, the customers they
 * follow and the groups they are in. Null everywhere means "no department limit".
 */

/** The userids in scope in a corp, or null when the actor is not limited to departments. */
export async function membersInScope(rt: Runtime, store: Store, corpId: string): Promise<string[] | null> {
  if (!departmentScoped(rt.actor)) return null;
  return [...(await scopeRepository.membersOf(store.db, corpId, grantOf(rt.actor)!.departments))];
}

/** The conversation ids a scoped actor may read in a corp (for search), or null. */
export async function conversationsInScope(rt: Runtime, store: Store, corpId: string): Promise<string[] | null> {
  const members = await membersInScope(rt, store, corpId);
  if (members === null) return null;
  const rows = await listIn(store.db, corpId, { members, limit: 1_000_000 });
  return rows.map((row) => row.id);
}

/** Fails `forbidden` unless the conversation exists and is in scope (one answer for both). */
export async function checkConversation(rt: Runtime, store: Store, corpId: string, id: string): Promise<void> {
  const members = await membersInScope(rt, store, corpId);
  if (members === null) return;
  if ((await countConversations(store.db, corpId, { id, members })) === 0) throw new ForbiddenError();
}

/** A customer or group the actor may see (by a member of their departments following it / in it). */
export async function checkRecord(rt: Runtime, store: Store, corpId: string, kind: 'customer' | 'group', id: string): Promise<void> {
  if (!departmentScoped(rt.actor)) return;
  const members = new Set(await scopeRepository.membersOf(store.db, corpId, grantOf(rt.actor)!.departments));
  const ok = kind === 'customer' ? await scopeRepository.followedBy(store.db, corpId, id, members) : await scopeRepository.groupWith(store.db, corpId, id, members);
  if (!ok) throw new ForbiddenError();
}

/**
 * For an actor that is not all-powerful, "not found" is answered as "forbidden": otherwise the
 * difference would tell whether something outside the scope exists.
 */
export async function hidingAbsence<T>(rt: Runtime, work: () => Promise<T>, isAbsence: (err: unknown) => boolean): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!unlimited(rt.actor) && isAbsence(err)) throw new ForbiddenError();
    throw err;
  }
}

export const isNoConversation = (err: unknown) => err instanceof NoConversationError;

/** Filters a directory list to what a scoped actor may see, per corp (kept sets, computed once a corp). */
export async function directoryFilter(rt: Runtime, store: Store): Promise<null | ((corpId: string, kind: 'employee' | 'customer' | 'group', id: string) => Promise<boolean>)> {
  if (!departmentScoped(rt.actor)) return null;
  const departments = grantOf(rt.actor)!.departments;
  const cache = new Map<string, Promise<{ members: Set<string>; customers: Set<string>; groups: Set<string> }>>();
  const setsOf = (corpId: string) => {
    let sets = cache.get(corpId);
    if (!sets) {
      sets = (async () => {
        const members = await scopeRepository.membersOf(store.db, corpId, departments);
        return { members, customers: await scopeRepository.customersOf(store.db, corpId, members), groups: await scopeRepository.groupsOf(store.db, corpId, members) };
      })();
      cache.set(corpId, sets);
    }
    return sets;
  };
  return async (corpId, kind, id) => {
    const sets = await setsOf(corpId);
    return (kind === 'employee' ? sets.members : kind === 'customer' ? sets.customers : sets.groups).has(id);
  };
}
