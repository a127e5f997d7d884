import type { CredentialKind, EndpointName } from '../../wecom/endpoints.ts';
import type { SandboxClock } from '../clock.ts';
import type { CompanyView } from '../company/view.ts';
import type { LimitSettings, SandboxRules } from '../options.ts';
import type { Params } from '../server/params.ts';
import type { TokenStore } from '../server/tokens.ts';
import type { Visibility } from '../server/visibility.ts';
import type { ContactWayStore } from '../state/contact-ways.ts';
import type { OAuthBook } from '../state/oauth.ts';
import type { RelationOverlay } from '../state/relations.ts';
import type { TagLibrary } from '../state/tag-library.ts';
import type { TransferBook } from '../state/transfers.ts';

/** Everything a handler may read or change: the generated company and the server's live state. */
export interface SandboxState {
  seed: number;
  corpId: string;
  agentId: number;
  company: CompanyView;
  clock: SandboxClock;
  rules: SandboxRules;
  limits: LimitSettings;
  secrets: Record<CredentialKind, string>;
  tokens: TokenStore;
  visibility: Visibility;
  tags: TagLibrary;
  relations: RelationOverlay;
  contactWays: ContactWayStore;
  transfers: TransferBook;
  oauth: OAuthBook;
}

export interface ApiCall {
  name: EndpointName;
  /** Query parameters for GET, the JSON body for POST. */
  params: Params;
  /** The kind of secret the caller's token came from (undefined only for gettoken). */
  credential: CredentialKind;
  ip: string;
  state: SandboxState;
}

/** Returns the fields of a successful answer (errcode 0 is added) or throws ApiError. */
export type Handler = (call: ApiCall) => Record<string, unknown> | Promise<Record<string, unknown>>;
