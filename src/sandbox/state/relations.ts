import type { CompanyView, SandboxFollow } from '../company/view.ts';
import type { TagLibrary } from './tag-library.ts';

/**
 * Follow relations as the API sees them: the generated graph plus what writes changed — remarks and
 * marked tags (remark, mark_tag) and relations moved by customer transfers. Reads always go through
 * here, so a write is visible in every endpoint that shows the relation.
 */
interface Patch {
  remark?: string;
  description?: string;
  remarkCorpName?: string;
  remarkMobiles?: string[];
  tagIds?: string[];
}

const key = (c: number, e: number) => `${c}:${e}`;

export class RelationOverlay {
  private readonly patches = new Map<string, Patch>();
  private readonly removed = new Set<string>();
  /** Relations created by transfers: customer → employee → relation. */
  private readonly added = new Map<number, Map<number, SandboxFollow>>();
  private readonly addedByEmployee = new Map<number, Set<number>>();

  constructor(
    private readonly company: CompanyView,
    private readonly tags: TagLibrary,
  ) {}

  followersOf(c: number): number[] {
    const base = this.company.followersOf(c).filter((e) => !this.removed.has(key(c, e)));
    const extra = this.added.get(c);
    if (!extra) return base;
    return [...new Set([...base, ...extra.keys()])].filter((e) => !this.removed.has(key(c, e))).sort((a, b) => a - b);
  }

  customersOf(e: number): number[] {
    const base = this.company.customersOf(e);
    const extra = this.addedByEmployee.get(e);
    if (!extra && this.removed.size === 0) return base;
    const all = extra ? [...new Set([...base, ...extra])].sort((a, b) => a - b) : base;
    return all.filter((c) => !this.removed.has(key(c, e)));
  }

  /** The relation with writes applied; tags deleted from the library no longer show. */
  follow(c: number, e: number): SandboxFollow | undefined {
    if (this.removed.has(key(c, e))) return undefined;
    const base = this.added.get(c)?.get(e) ?? this.company.follow(c, e);
    if (!base) return undefined;
    const patch = this.patches.get(key(c, e)) ?? {};
    return {
      ...base,
      userid: this.company.employee(e).userid,
      remark: patch.remark ?? base.remark,
      description: patch.description ?? base.description,
      remarkCorpName: patch.remarkCorpName ?? base.remarkCorpName,
      remarkMobiles: patch.remarkMobiles ?? base.remarkMobiles,
      tagIds: (patch.tagIds ?? base.tagIds).filter((id) => this.tags.hasTag(id)),
    };
  }

  patch(c: number, e: number, changes: Patch): void {
    this.patches.set(key(c, e), { ...this.patches.get(key(c, e)), ...changes });
  }

  markTags(c: number, e: number, add: string[], remove: string[]): void {
    const current = this.follow(c, e)?.tagIds ?? [];
    const next = [...current.filter((id) => !remove.includes(id))];
    for (const id of add) if (!next.includes(id) && !remove.includes(id)) next.push(id);
    this.patch(c, e, { tagIds: next });
  }

  /** A customer now followed by `to` (a transfer completed); `from`, if a current member, loses it. */
  transfer(c: number, from: number | undefined, to: number, at: number): void {
    const previous = from === undefined ? undefined : this.follow(c, from);
    if (from !== undefined) this.removed.add(key(c, from));
    this.removed.delete(key(c, to));
    if (this.follow(c, to)) return;
    const customer = this.company.customer(c);
    const relation: SandboxFollow = {
      employeeIndex: to, customerIndex: c, userid: this.company.employee(to).userid,
      remark: previous?.remark ?? '', description: previous?.description ?? '', createtime: at,
      tagIds: previous?.tagIds ?? [], personalTags: [], remarkCorpName: previous?.remarkCorpName ?? customer.corpName ?? '',
      remarkMobiles: previous?.remarkMobiles ?? [], operUserid: this.company.employee(to).userid,
      addWay: 202, state: '',
    };
    this.remember(c, to, relation);
  }

  /** A member added a customer in WeCom's app (a simulated event): a new relation. */
  add(c: number, e: number, at: number, state = ''): SandboxFollow {
    this.removed.delete(key(c, e));
    const existing = this.follow(c, e);
    if (existing) return existing;
    const customer = this.company.customer(c);
    const userid = this.company.employee(e).userid;
    this.remember(c, e, {
      employeeIndex: e, customerIndex: c, userid, remark: '', description: '', createtime: at, tagIds: [], personalTags: [],
      remarkCorpName: customer.corpName ?? '', remarkMobiles: [], operUserid: userid, addWay: state ? 1 : 3, state,
    });
    return this.follow(c, e)!;
  }

  /** The member deleted the customer: the relation is gone from every read. */
  remove(c: number, e: number): void {
    this.removed.add(key(c, e));
  }

  private remember(c: number, e: number, relation: SandboxFollow): void {
    const forCustomer = this.added.get(c) ?? new Map<number, SandboxFollow>();
    forCustomer.set(e, relation);
    this.added.set(c, forCustomer);
    const forEmployee = this.addedByEmployee.get(e) ?? new Set<number>();
    forEmployee.add(c);
    this.addedByEmployee.set(e, forEmployee);
  }

  /** How many relations exist now (for the summary). */
  count(): number {
    let extra = 0;
    for (const byEmployee of this.added.values()) extra += byEmployee.size;
    return this.company.counts.follow_relations + extra - this.removed.size;
  }
}
