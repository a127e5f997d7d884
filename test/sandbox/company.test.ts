import { describe, expect, it } from 'vitest';
import { generateCompany } from '../../src/sandbox/company/index.ts';
import type { CompanyView } from '../../src/sandbox/company/view.ts';

function fingerprint(company: CompanyView): unknown {
  const sample = [0, 1, 7, company.counts.customers - 1];
  return {
    counts: company.counts,
    corpId: company.corpId,
    departments: company.departments(),
    employees: [0, 5, company.counts.employees - 1].map((i) => company.employee(i)),
    customers: sample.map((i) => company.customer(i)),
    followers: sample.map((i) => company.followersOf(i)),
    follows: sample.map((i) => company.follow(i, company.followersOf(i)[0])),
    groups: [0, company.counts.groups - 1].map((i) => company.group(i)),
    tags: company.corpTags(),
    ways: company.contactWays(),
  };
}

describe('generated company', () => {
  it('is identical for the same seed and differs for another seed', () => {
    expect(fingerprint(generateCompany(42, 'small'))).toEqual(fingerprint(generateCompany(42, 'small')));
    const other = fingerprint(generateCompany(43, 'small')) as { corpId: string; customers: unknown[]; employees: unknown[] };
    const mine = fingerprint(generateCompany(42, 'small')) as typeof other;
    expect(other.corpId).not.toBe(mine.corpId);
    expect(other.customers).not.toEqual(mine.customers);
    expect(other.employees).not.toEqual(mine.employees);
  });

  it('has the small sizes of the issue', () => {
    const company = generateCompany(1, 'small');
    expect(company.counts).toMatchObject({ departments: 15, employees: 50, customers: 500, groups: 30 });
    expect(company.departments()[0]).toMatchObject({ id: 1, parentid: 0 });
    // A tree: every department but the root has an existing parent that comes before it.
    const seen = new Set<number>();
    for (const d of company.departments()) {
      if (d.id !== 1) expect(seen.has(d.parentid)).toBe(true);
      seen.add(d.id);
    }
    expect(company.corpId).toMatch(/^ww[0-9a-f]{16}$/);
  });

  it('keeps the follow graph consistent in both directions', () => {
    const company = generateCompany(5, 'small');
    let relations = 0;
    for (let c = 0; c < company.counts.customers; c++) {
      const followers = company.followersOf(c);
      expect(followers.length).toBeGreaterThan(0);
      for (const e of followers) {
        expect(company.customersOf(e)).toContain(c);
        expect(company.employee(e).followUser).toBe(true);
        expect(company.follow(c, e)).toMatchObject({ customerIndex: c, employeeIndex: e, userid: company.employee(e).userid });
      }
      relations += followers.length;
    }
    expect(relations).toBe(company.counts.follow_relations);
    const total = Array.from({ length: company.counts.employees }, (_, e) => company.customersOf(e).length).reduce((a, b) => a + b, 0);
    expect(total).toBe(relations);
  });

  it('issues realistic ids that resolve back to their records', () => {
    const company = generateCompany(9, 'small');
    for (let c = 0; c < company.counts.customers; c += 37) {
      const customer = company.customer(c);
      expect(customer.external_userid).toMatch(customer.type === 1 ? /^wm[0-9A-Za-z]{30}$/ : /^wo[0-9A-Za-z]{30}$/);
      expect(company.customerByExternalUserid(customer.external_userid)?.index).toBe(c);
    }
    const group = company.group(3);
    expect(group.chat_id).toMatch(/^wr/);
    expect(company.groupByChatId(group.chat_id)?.index).toBe(3);
    expect(company.groupByChatId(`${group.chat_id.slice(0, -1)}B`)).toBeUndefined();
    expect(company.customerByExternalUserid('wmNotARealIdAtAllxxxxxxxxxxxxAAA')).toBeUndefined();
    const member = company.employee(4);
    expect(company.employeeByUserid(member.userid.toUpperCase())?.index).toBe(4);
    expect(company.employeeByMobile(member.mobile)?.index).toBe(4);
    expect(company.employeeByEmail(member.email)?.index).toBe(4);
    expect(company.robotById(company.robot(1).robot_id)?.index).toBe(1);
    expect(company.internalGroupByRoomid(company.internalGroup(2).roomid)?.index).toBe(2);
    expect(company.corpTags().flatMap((g) => g.tag).every((t) => t.id.startsWith('et'))).toBe(true);
  });

  it('always has a follow user without customers and a member without customer contact', () => {
    for (const seed of [1, 2, 3, 4]) {
      const company = generateCompany(seed, 'small');
      const members = Array.from({ length: company.counts.employees }, (_, e) => company.employee(e));
      expect(members.some((m) => m.followUser && company.customersOf(m.index).length === 0)).toBe(true);
      expect(members.some((m) => !m.followUser)).toBe(true);
    }
  });

  it('builds the large company with lazily derived records', () => {
    const company = generateCompany(1, 'large');
    expect(company.counts).toMatchObject({ employees: 10_000, customers: 200_000, groups: 5_000 });
    const last = company.customer(199_999);
    expect(company.customerByExternalUserid(last.external_userid)?.index).toBe(199_999);
    expect(company.follow(199_999, company.followersOf(199_999)[0])?.customerIndex).toBe(199_999);
    expect(new Set(Array.from({ length: 2000 }, (_, e) => company.employee(e).userid)).size).toBe(2000);
  });
});
