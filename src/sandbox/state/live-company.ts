import type {
  CompanyView, SandboxDepartment, SandboxEmployee, SandboxFollow, SandboxGroup, SandboxMemberTag,
} from '../company/view.ts';

/**
 * The company as the API serves it once people have changed it in WeCom's own apps (the simulated
 * events of `POST /__sandbox/events`): renamed, moved and deleted members, new departments, groups
 * created, renamed, joined, left and dismissed, member tags edited, consent given. The generated
 * company stays untouched underneath (the archive keeps reading it, so messages already pulled never
 * change); this view applies the edits on top, and every handler reads through it.
 */

export interface LiveEdits {
  /** A member's new name and/or userid (the old userid stops resolving, as after a WeCom rename). */
  renameMember(index: number, change: { name?: string; userid?: string }): void;
  /** New department list (main first). */
  moveMember(index: number, departments: number[]): void;
  deleteMember(index: number): void;
  addDepartment(department: Omit<SandboxDepartment, 'depth' | 'leaders'>): SandboxDepartment;
  addGroup(group: Omit<SandboxGroup, 'index'>): SandboxGroup;
  patchGroup(index: number, change: Partial<Pick<SandboxGroup, 'name' | 'memberUserids' | 'memberCustomerIds' | 'notice'>>): SandboxGroup;
  dismissGroup(index: number): void;
  setMemberTag(tagid: number, userids: string[]): void;
  setConsent(employee: number, customer: number, agree: boolean, changedAt: number): void;
}

export interface LiveCompany {
  view: CompanyView;
  edits: LiveEdits;
}

export function liveCompany(base: CompanyView): LiveCompany {
  const members = new Map<number, Partial<Pick<SandboxEmployee, 'name' | 'userid' | 'department' | 'mainDepartment' | 'order' | 'isLeaderInDept'>>>();
  const useridIndex = new Map<string, number>();
  const deleted = new Set<number>();
  const departments: SandboxDepartment[] = [];
  const groups: SandboxGroup[] = [];
  const groupPatches = new Map<number, Partial<SandboxGroup>>();
  const dismissed = new Set<number>();
  const memberTags = new Map<number, string[]>();
  const consent = new Map<string, { agree: boolean; changedAt: number }>();
  const counts = { ...base.counts };

  const hasEmployee = (index: number) => Number.isInteger(index) && index >= 0 && index < base.counts.employees && !deleted.has(index);
  const hasGroup = (index: number) => Number.isInteger(index) && index >= 0 && index < counts.groups && !dismissed.has(index);
  const employee = (index: number): SandboxEmployee => {
    const patch = members.get(index);
    return patch ? { ...base.employee(index), ...patch } : base.employee(index);
  };
  const currentUserid = (userid: string): string => {
    if (useridIndex.size === 0) return userid;
    const found = base.employeeByUserid(userid);
    return found ? employee(found.index).userid : userid;
  };
  const byUserid = (userid: string): SandboxEmployee | undefined => {
    if (typeof userid !== 'string') return undefined;
    const renamed = useridIndex.get(userid.toLowerCase());
    if (renamed !== undefined) return hasEmployee(renamed) ? employee(renamed) : undefined;
    const found = base.employeeByUserid(userid);
    // A renamed member's old userid no longer resolves.
    if (!found || !hasEmployee(found.index) || employee(found.index).userid.toLowerCase() !== userid.toLowerCase()) return undefined;
    return employee(found.index);
  };
  const live = (e: SandboxEmployee | undefined) => (e && hasEmployee(e.index) ? employee(e.index) : undefined);
  const group = (index: number): SandboxGroup => {
    const g = index < base.counts.groups ? base.group(index) : structuredClone(groups[index - base.counts.groups]!);
    const patched = { ...g, ...groupPatches.get(index) };
    return {
      ...patched,
      ownerUserid: currentUserid(patched.ownerUserid),
      memberUserids: patched.memberUserids.map(currentUserid),
      adminUserids: patched.adminUserids.map(currentUserid),
    };
  };
  const groupIndexOf = (chatId: string): number | undefined => {
    const found = base.groupByChatId(chatId);
    if (found) return found.index;
    const added = groups.findIndex((g) => g.chat_id === chatId);
    return added < 0 ? undefined : base.counts.groups + added;
  };

  const view: CompanyView = {
    ...base,
    counts,
    employee,
    employeeByUserid: byUserid,
    employeeByMobile: (mobile) => live(base.employeeByMobile(mobile)),
    employeeByEmail: (email) => {
      const [local, domain] = String(email).toLowerCase().split('@');
      return domain === base.corpName.domain ? byUserid(local ?? '') : undefined;
    },
    membersOf(id) {
      // Only moved members need their record: the others are where the generated company put them.
      const out = new Set(base.membersOf(id).filter((e) => hasEmployee(e) && (members.get(e)?.department?.includes(id) ?? true)));
      for (const [e, patch] of members) if (hasEmployee(e) && patch.department?.includes(id)) out.add(e);
      return [...out].sort((a, b) => a - b);
    },
    departments: () => [...base.departments(), ...structuredClone(departments)],
    department: (id) => base.department(id) ?? structuredClone(departments.find((d) => d.id === id)),
    followersOf: (c) => base.followersOf(c).filter(hasEmployee),
    customersOf: (e) => (hasEmployee(e) ? base.customersOf(e) : []),
    follow(c, e): SandboxFollow | undefined {
      const f = hasEmployee(e) ? base.follow(c, e) : undefined;
      return f && { ...f, userid: employee(e).userid };
    },
    group,
    groupByChatId(chatId) {
      const index = groupIndexOf(chatId);
      return index !== undefined && hasGroup(index) ? group(index) : undefined;
    },
    // Owners never change here (renames keep the index), so the generated groups need no derivation.
    groupOwnerIndex: (index) => (index < base.counts.groups
      ? base.groupOwnerIndex(index)
      : (byUserid(groups[index - base.counts.groups]!.ownerUserid)?.index ?? 0)),
    groupChatId: (index) => (index < base.counts.groups ? base.groupChatId(index) : groups[index - base.counts.groups]!.chat_id),
    // A group whose owner left waits for inheritance (status 1, groupchat/transfer takes it).
    groupStatus: (index) => {
      const status = index < base.counts.groups ? base.groupStatus(index) : 0;
      return status === 0 && !hasEmployee(view.groupOwnerIndex(index)) ? 1 : status;
    },
    memberTags: (): SandboxMemberTag[] => base.memberTags().map((t) => ({ ...t, userids: (memberTags.get(t.tagid) ?? t.userids).map(currentUserid).filter((u) => byUserid(u)) })),
    consent: (e, c) => consent.get(`${e}:${c}`) ?? base.consent(e, c),
    hasEmployee,
    hasGroup,
  };

  const edits: LiveEdits = {
    renameMember(index, change) {
      const before = employee(index);
      const patch = { ...members.get(index) };
      if (change.name !== undefined) patch.name = change.name;
      if (change.userid !== undefined) {
        useridIndex.delete(before.userid.toLowerCase());
        useridIndex.set(change.userid.toLowerCase(), index);
        patch.userid = change.userid;
      }
      members.set(index, patch);
    },
    moveMember(index, list) {
      members.set(index, {
        ...members.get(index), department: list, mainDepartment: list[0]!,
        order: list.map(() => 0), isLeaderInDept: list.map(() => 0),
      });
    },
    deleteMember(index) {
      deleted.add(index);
    },
    addDepartment(department) {
      const parent = view.department(department.parentid);
      const full: SandboxDepartment = { ...department, depth: (parent?.depth ?? 0) + 1, leaders: [] };
      departments.push(full);
      counts.departments++;
      return structuredClone(full);
    },
    addGroup(g) {
      groups.push({ ...structuredClone(g), index: counts.groups });
      counts.groups++;
      return group(counts.groups - 1);
    },
    patchGroup(index, change) {
      groupPatches.set(index, { ...groupPatches.get(index), ...structuredClone(change) });
      return group(index);
    },
    dismissGroup(index) {
      dismissed.add(index);
    },
    setMemberTag(tagid, userids) {
      memberTags.set(tagid, [...userids]);
    },
    setConsent(e, c, agree, changedAt) {
      consent.set(`${e}:${c}`, { agree, changedAt });
    },
  };
  return { view, edits };
}
