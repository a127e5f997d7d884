import type { CredentialKind } from '../../wecom/endpoints.ts';
import type { CompanyView } from '../company/view.ts';
import type { SandboxRules } from '../options.ts';

/**
 * What a token may see. Only the self-built app is limited, to its visible scope (可见范围,
 * wecom-api.md §2.2): the scoped departments with all their sub-departments, plus named members.
 * The secrets of the system tools (contact sync, customer contact, archive) see the whole corp.
 */
export class Visibility {
  private cacheKey = '';
  private departments = new Set<number>();
  private users = new Set<string>();
  private followUsersInScope = 0;
  private allFollowUsers?: number;

  constructor(
    private readonly company: CompanyView,
    private readonly rules: () => SandboxRules,
  ) {}

  private refresh(): void {
    const scope = this.rules().appScope;
    const key = JSON.stringify(scope);
    if (key === this.cacheKey) return;
    const children = new Map<number, number[]>();
    for (const d of this.company.departments()) children.set(d.parentid, [...(children.get(d.parentid) ?? []), d.id]);
    const seen = new Set<number>();
    const stack = scope.departments.filter((id) => this.company.department(id));
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(children.get(id) ?? []));
    }
    this.departments = seen;
    this.users = new Set(scope.users.map((u) => u.toLowerCase()));
    this.cacheKey = key;
    let count = 0;
    for (let e = 0; e < this.company.counts.employees; e++) {
      if (!this.company.hasEmployee(e)) continue;
      const member = this.company.employee(e);
      if (member.followUser && this.inScope(member)) count++;
    }
    this.followUsersInScope = count;
  }

  /** The directory changed (a simulated event): recompute the scope on the next read. */
  invalidate(): void {
    this.cacheKey = '';
    this.allFollowUsers = undefined;
  }

  private inScope(member: { userid: string; department: number[] }): boolean {
    return member.department.some((d) => this.departments.has(d)) || this.users.has(member.userid.toLowerCase());
  }

  seesDepartment(kind: CredentialKind, id: number): boolean {
    if (kind !== 'app') return this.company.department(id) !== undefined;
    this.refresh();
    return this.departments.has(id);
  }

  seesEmployee(kind: CredentialKind, member: { userid: string; department: number[] }): boolean {
    if (kind !== 'app') return true;
    this.refresh();
    return this.inScope(member);
  }

  /** Members with customer contact that this token can see (groupchat/list's 81017 threshold). */
  followUsersVisible(kind: CredentialKind): number {
    if (kind !== 'app') {
      if (this.allFollowUsers === undefined) {
        this.allFollowUsers = 0;
        for (let e = 0; e < this.company.counts.employees; e++) if (this.company.hasEmployee(e) && this.company.employee(e).followUser) this.allFollowUsers++;
      }
      return this.allFollowUsers;
    }
    this.refresh();
    return this.followUsersInScope;
  }
}
