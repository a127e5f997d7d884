import type { AddressInfo } from 'node:net';
import { CREDENTIAL_KINDS, type CredentialKind, type EndpointName } from '../wecom/endpoints.ts';
import { createCallbacks, type SandboxCallbacks } from './callbacks/index.ts';
import { createClock, type SandboxClock } from './clock.ts';
import { generateCompany } from './company/index.ts';
import { secretFor } from './company/ids.ts';
import type { CompanySize } from './company/sizes.ts';
import type { CompanyView } from './company/view.ts';
import { writeConfigFile } from './config-out.ts';
import type { SandboxContext, SandboxExtension } from './extension.ts';
import { createControl } from './handlers/control.ts';
import type { SandboxState } from './handlers/types.ts';
import {
  DEFAULT_LIMITS, DEFAULT_RULES, limitsSchema, parseSettings, rulesSchema,
  type FaultSettings, type LimitSettings, type SandboxOptions, type SandboxRules,
} from './options.ts';
import { FaultPlanner } from './server/faults.ts';
import { createSandboxServer } from './server/http.ts';
import { Limiter } from './server/limits.ts';
import { Gate, StatsRecorder, type SandboxStats } from './server/stats.ts';
import { TokenStore } from './server/tokens.ts';
import { Visibility } from './server/visibility.ts';
import { ContactWayStore } from './state/contact-ways.ts';
import { liveCompany } from './state/live-company.ts';
import { OAuthBook } from './state/oauth.ts';
import { RelationOverlay } from './state/relations.ts';
import { TagLibrary } from './state/tag-library.ts';
import { TransferBook } from './state/transfers.ts';

export type { SandboxOptions, SandboxRules, LimitSettings, FaultSettings } from './options.ts';
export type { CompanyView } from './company/view.ts';
export type { SandboxStats } from './server/stats.ts';
export type { SandboxClock } from './clock.ts';
export type { SandboxCallbacks, CallbackOptions, CallbackStatus, SimulatedEvent, SimulationRequest, SimulationType, CallbackKeyPair } from './callbacks/index.ts';
export { SIMULATION_TYPES, describeSimulations, callbackSecretsFor } from './callbacks/index.ts';
export { generateCompany } from './company/index.ts';

/** A running sandbox: a local WeCom serving the catalogue from a generated company. */
export interface Sandbox {
  /** `http://127.0.0.1:PORT`: what WECOM_API_BASE should be. */
  url: string;
  port: number;
  host: string;
  corpId: string;
  agentId: number;
  /** Current secrets per credential kind (`resetSecret` changes one). */
  secrets: Record<CredentialKind, string>;
  /** The company as the API serves it now: generated, then changed by simulated events. */
  company: CompanyView;
  /** Callbacks: where they go, simulated events, the stream, delivery counters. */
  callbacks: SandboxCallbacks;
  /** The live rules: change a field and the next call obeys it. */
  rules: SandboxRules;
  /** The live limits: change a field and the next call obeys it. */
  limits: LimitSettings;
  clock: SandboxClock;
  summary(): Record<string, number>;
  stats(): SandboxStats;
  faults(): FaultSettings;
  /** Replaces the fault settings (fields left out mean no fault) and restarts their sequence. */
  setFaults(faults: Partial<FaultSettings>): void;
  /** Revokes live tokens (all, one kind, or one token): they answer 40014 from then on. */
  revokeTokens(filter?: { kind?: CredentialKind; token?: string }): number;
  /** Resets a secret as an admin would: the old one answers 40001, its tokens 40014. */
  resetSecret(kind: CredentialKind): string;
  /** An OAuth code for a member, as if they had just signed in (auth/getuserinfo). */
  issueOAuthCode(userid: string): string;
  /** Holds every answer until `resume`, so a test can put calls in flight together. */
  pause(): void;
  resume(): void;
  /** Resolves once `count` calls of the endpoint are in flight. */
  waitForInFlight(endpoint: EndpointName, count: number): Promise<void>;
  writeConfig(file: string): Promise<void>;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const size: CompanySize = options.size ?? 'small';
  const host = options.host ?? '127.0.0.1';
  const agentId = options.agentId ?? 1000002;
  const generated = generateCompany(seed, size);
  const live = liveCompany(generated);
  const company = live.view;
  const clock = createClock(options.now);
  const rules = parseSettings(rulesSchema, {
    ...DEFAULT_RULES, ...options.rules, trustedIps: options.trustedIps ?? options.rules?.trustedIps ?? DEFAULT_RULES.trustedIps,
  }, 'rules');
  const limits = parseSettings(limitsSchema, { ...DEFAULT_LIMITS, ...options.limits }, 'limits') as LimitSettings;
  const secrets = Object.fromEntries(CREDENTIAL_KINDS.map((k) => [k, secretFor(seed, k)])) as Record<CredentialKind, string>;
  const secretGenerations: Partial<Record<CredentialKind, number>> = {};
  const tokens = new TokenStore(clock, options.tokenTtlSeconds ?? 7200);
  const tags = new TagLibrary(seed, company.corpTags());
  const relations = new RelationOverlay(company, tags);
  const state: SandboxState = {
    seed, corpId: company.corpId, agentId, company, clock, rules, limits, secrets, tokens, tags, relations,
    visibility: new Visibility(company, () => state.rules),
    contactWays: new ContactWayStore(seed, company),
    transfers: new TransferBook(seed, company, relations),
    oauth: new OAuthBook(clock),
  };
  const faults = new FaultPlanner(seed, options.faults);
  const limiter = new Limiter(clock, () => state.limits);
  const stats = new StatsRecorder();
  const gate = new Gate();
  let hints = 0;

  // Extensions read the company as generated: the archive's messages must not change once pulled.
  const context: SandboxContext = {
    company: generated, seed, size, corpId: company.corpId, now: () => clock.now(), secrets,
    credentialOfToken: (token) => tokens.kindOf(token),
  };
  const extensions: SandboxExtension[] = [];
  for (const factory of options.extensions ?? []) extensions.push(await factory(context));
  const extensionEndpoints = new Map(extensions.flatMap((e) => Object.entries(e.endpoints ?? {})));

  const summary = (): Record<string, number> => {
    const counts: Record<string, number> = {
      ...company.counts,
      follow_relations: relations.count(),
      corp_tags: tags.size(),
      contact_ways: state.contactWays.count(),
      unassigned_customers: state.transfers.unassigned().length,
      temp_chats: state.contactWays.openTempChats().length,
    };
    for (const extension of extensions) Object.assign(counts, extension.summary?.() ?? {});
    return counts;
  };

  const callbacks = createCallbacks({
    state, edits: live.edits, archive: () => extensions.find((e) => e.simulation)?.simulation,
  }, options.callbacks);

  let url = '';
  const sandbox: Omit<Sandbox, 'url' | 'port'> = {
    host, corpId: company.corpId, agentId, secrets, company, clock, callbacks,
    get rules() { return state.rules; },
    get limits() { return state.limits; },
    summary,
    stats: () => stats.snapshot({ ...faults.injected }),
    faults: () => faults.current(),
    setFaults: (settings) => faults.set(settings),
    revokeTokens: (filter) => tokens.revoke(filter),
    resetSecret(kind) {
      secretGenerations[kind] = (secretGenerations[kind] ?? 0) + 1;
      secrets[kind] = secretFor(seed, kind, secretGenerations[kind]);
      tokens.revoke({ kind });
      return secrets[kind];
    },
    issueOAuthCode(userid) {
      const member = company.employeeByUserid(userid);
      if (!member) throw new RangeError(`no member ${userid} in the sandbox company`);
      return state.oauth.issueCode(member.userid);
    },
    pause: () => gate.pause(),
    resume: () => gate.resume(),
    waitForInFlight: (endpoint, count) => limiter.waitForInFlight(endpoint, count),
    writeConfig: (file) => writeConfigFile(file, {
      seed, size, corpId: company.corpId, agentId, url, secrets, callbackSecrets: callbacks.secrets, extensions, writtenAt: clock.now(),
    }),
    async close() {
      gate.resume();
      await callbacks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const extension of extensions) await extension.close?.();
    },
  };

  const server = createSandboxServer({
    state, limiter, stats, gate, faults, extensionEndpoints,
    rawRoutes: extensions.flatMap((e) => e.routes ?? []),
    hint: () => `${clock.nowSeconds()}${String(++hints).padStart(6, '0')}${String(seed % 1000).padStart(3, '0')}`,
    control: createControl(sandbox),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  url = `http://${shownHost}:${port}`;
  return Object.assign(sandbox, { url, port }) as Sandbox;
}
