import { z } from 'zod';
import { WECOM_LIMITS, type EndpointName } from '../wecom/endpoints.ts';
import type { CallbackOptions } from './callbacks/options.ts';
import type { SandboxExtensionFactory } from './extension.ts';
import type { CompanySize } from './company/sizes.ts';

/**
 * The sandbox's settings: the rules of the real service (each switchable, so tests can reproduce
 * every failure), the limits, and the injected faults. Schemas validate both the programmatic API
 * and the control endpoints; the types are derived from them so the two never drift.
 */

const cidr = z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?|[0-9a-fA-F:]+(\/\d{1,3})?)$/, 'an IP address or CIDR range');

export const rulesSchema = z.object({
  /** 企业可信IP for the app and contact-sync secrets; empty = every caller allowed. */
  trustedIps: z.array(cidr),
  /** The self-built app's visible scope (可见范围): departments (with sub-departments) and members. */
  appScope: z.object({ departments: z.array(z.number().int().positive()), users: z.array(z.string()) }),
  /** The app is in 客户联系 →「可调用应用」, so its token may call customer APIs. */
  appCustomerAllowed: z.boolean(),
  /** The app was granted the chat-archive APIs (the "one app with everything" set-up). */
  appArchiveAllowed: z.boolean(),
  /** The contact-sync token calls from a new IP: detail reads answer 48009 (since 2022-08-15). */
  contactsDetailForbidden: z.boolean(),
  /** The app predates 2022-06-20 and still receives mobile, email, avatar… from user/get. */
  appSensitiveFields: z.boolean(),
});
export type SandboxRules = z.infer<typeof rulesSchema>;

const endpointLimitSchema = z.object({
  perMinute: z.number().int().positive().optional(),
  perHour: z.number().int().positive().optional(),
  concurrency: z.number().int().positive().optional(),
});

export const limitsSchema = z.object({
  /** Calls per corp, per endpoint, per minute and per hour (45009). */
  perMinute: z.number().int().positive(),
  perHour: z.number().int().positive(),
  /** Calls in flight at once per endpoint with `concurrencyLimited` (45033). */
  concurrency: z.number().int().positive(),
  /** Added to every answer while it holds its slot, so concurrency caps can bite (0 = none). */
  responseDelayMs: z.number().int().min(0),
  perEndpoint: z.record(z.string(), endpointLimitSchema),
});
export type LimitSettings = z.infer<typeof limitsSchema> & {
  perEndpoint: Partial<Record<EndpointName | string, z.infer<typeof endpointLimitSchema>>>;
};

const rate = z.number().min(0).max(1);
export const FAULT_KINDS = ['http5xx', 'drop', 'slow', 'busy', 'errcode'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const scriptedFaultSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  /** Only calls to this endpoint (catalogue name or path) consume it. */
  endpoint: z.string().optional(),
  /** For `errcode`: the errcode to answer. */
  errcode: z.number().int().optional(),
  /** For `http5xx`: the HTTP status (default 502). */
  status: z.number().int().min(500).max(599).optional(),
  /** For `slow`: the added latency (default `slowMs`). */
  ms: z.number().int().min(0).optional(),
});

export const faultFieldsSchema = z.object({
  /** Fractions of calls answered with an HTTP 5xx, a dropped connection, added latency, errcode -1. */
  http5xxRate: rate,
  dropRate: rate,
  slowRate: rate,
  slowMs: z.number().int().min(0),
  busyRate: rate,
  /** Restricts the random faults to these endpoints (catalogue names or paths); empty = all. */
  endpoints: z.array(z.string()),
  /** Faults served first, in order, to the next matching calls: exact and reproducible. */
  next: z.array(scriptedFaultSchema),
});
export const faultsSchema = faultFieldsSchema.refine((f) => f.http5xxRate + f.dropRate + f.slowRate + f.busyRate <= 1, 'fault rates add up to more than 1');
export type FaultSettings = z.infer<typeof faultsSchema>;
export type ScriptedFault = z.infer<typeof scriptedFaultSchema>;

export interface SandboxOptions {
  /** The company and every random choice derive from it (default 1). */
  seed?: number;
  size?: CompanySize;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Fixes the clock at this instant (it then moves only through `clock.advance`). */
  now?: Date;
  /** access_token lifetime (default 7200, as WeCom). */
  tokenTtlSeconds?: number;
  /** Shorthand for `rules.trustedIps`. */
  trustedIps?: string[];
  rules?: Partial<SandboxRules>;
  limits?: Partial<LimitSettings>;
  faults?: Partial<FaultSettings>;
  /** The self-built app's AgentId (default 1000002). */
  agentId?: number;
  extensions?: SandboxExtensionFactory[];
  /** Where and how simulated changes are delivered as WeCom callbacks. */
  callbacks?: CallbackOptions;
}

export const DEFAULT_RULES: SandboxRules = {
  trustedIps: [],
  appScope: { departments: [1], users: [] },
  appCustomerAllowed: true,
  appArchiveAllowed: false,
  contactsDetailForbidden: true,
  appSensitiveFields: false,
};

export const DEFAULT_LIMITS: LimitSettings = {
  perMinute: WECOM_LIMITS.perMinute,
  perHour: WECOM_LIMITS.perHour,
  concurrency: WECOM_LIMITS.concurrency,
  responseDelayMs: 0,
  perEndpoint: {},
};

export const NO_FAULTS: FaultSettings = {
  http5xxRate: 0, dropRate: 0, slowRate: 0, slowMs: 1000, busyRate: 0, endpoints: [], next: [],
};

/** Validates a settings object, naming every wrong field (for control endpoints and options alike). */
export function parseSettings<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`);
  throw new SettingsError(`invalid sandbox ${what}: ${problems.join('; ')}`);
}

export class SettingsError extends Error {
  override name = 'SettingsError';
}
