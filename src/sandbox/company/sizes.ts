/** How many records of each kind a generated company has (issue 2 §4: `small` and `large`). */
export const COMPANY_SIZES = {
  small: {
    departments: 15, employees: 50, customers: 500, groups: 30,
    internalGroups: 8, robots: 2, contactWays: 12, memberTags: 5, maxDepth: 3, executives: 2, departed: 2,
  },
  large: {
    departments: 300, employees: 10_000, customers: 200_000, groups: 5_000,
    internalGroups: 500, robots: 20, contactWays: 300, memberTags: 10, maxDepth: 4, executives: 5, departed: 40,
  },
} as const;

export type CompanySize = keyof typeof COMPANY_SIZES;
export type SizeSpec = (typeof COMPANY_SIZES)[CompanySize];

export function isCompanySize(value: unknown): value is CompanySize {
  return value === 'small' || value === 'large';
}

/**
 * Generated timestamps lie in this window, fixed rather than taken from the clock so that a seed
 * yields the same company on every run. 2021-07-10 is the earliest date list_contact_way covers.
 */
export const GENERATED_TIME_RANGE = { start: 1625875200, end: 1767139200 } as const; // 2021-07-10 … 2025-12-31 UTC
