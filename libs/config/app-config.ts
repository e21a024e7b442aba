/** The event store backends the engine can run on (docs/architecture.md §3). */
export const STORE_KINDS = ['sqlite', 'postgres', 'eventstoredb', 'memory'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * The engine's settings, read from the environment by `loadConfig`. The API and the CLI read the same
 * variables (docs/architecture.md §4), so `u4ssc` commands see the store the API uses.
 */
export interface AppConfig {
  store: StoreKind;
  /** The embedded store's file, as given (relative paths resolve against the working directory). */
  sqliteFile: string;
  /**
   * How long a SQLite connection waits for another process's write lock before its statement fails busy (an append
   * that fails busy is retried by the runner); unset: 5000 ms.
   */
  sqliteBusyTimeoutMs?: number;
  /** Set whenever `store` is `postgres`. */
  databaseUrl?: string;
  /** The PostgreSQL schema holding the events and read models; `public` when unset. */
  databaseSchema?: string;
  /** Set whenever `store` is `eventstoredb`. */
  eventStoreUrl?: string;
  port: number;
  /**
   * The address `serve` listens on (`U4SSC_HOST`); unset: the loopback interface only (DEFAULT_HOST), so a server
   * started for a try is not reachable from the network until someone says it should be.
   */
  host?: string;
  /**
   * The engine's Ed25519 signing key (docs/integrity.md), as a PKCS#8 PEM file (`U4SSC_SIGNING_KEY_FILE`) or the PEM
   * itself (`U4SSC_SIGNING_KEY`), at most one of them. Required with postgres and eventstoredb; unset with sqlite,
   * `u4ssc-signing-key.pem` beside the SQLite file (generated on first start); unset with memory, an ephemeral key.
   */
  signingKeyFile?: string;
  signingKey?: string;
  /** A command writes a snapshot once its stream has grown by this many events since the last; 0: none. Unset: 100. */
  snapshotEvery?: number;
  /**
   * How often the leading instance verifies the whole log and records the result (U4SSC_FULL_VERIFY_EVERY, e.g.
   * `24h`; 0: never); unset: 24 hours. Between full runs, verifications check only the events after the last
   * verified checkpoint (docs/integrity.md).
   */
  fullVerifyEveryMs?: number;
  /** HS256 secret for local tokens; when absent (and no JWKS) `resolveTokenSecret` generates and keeps one. */
  tokenSecret?: string;
  /** An external identity provider's key set; when set, local tokens are off. */
  jwksUrl?: string;
  /** Checked against external tokens' `iss` when set; the OpenID Connect issuer by default. */
  jwtIssuer?: string;
  /** Checked against external tokens' `aud` when set; U4SSC_OIDC_RESOURCE by default. */
  jwtAudience?: string;
  /**
   * The web interface's development sign-in (pick a person and role, get a local token) is on: anyone who can
   * reach the server can then act as anyone, so only `npm start` and the tests turn it on.
   */
  devSignIn?: boolean;
  /** The web interface's sign-in with an external OpenID Connect provider (authorization code + PKCE). */
  oidc?: OidcSettings;
  /** How near and how far the deadlines the engine records may be; each one unset takes DEFAULT_DEADLINE_BOUNDS'. */
  deadlines?: Partial<DeadlineBounds>;
}

/** How near and how far ahead of the instant it is recorded a deadline may fall (README, Configuration). */
export interface DeadlineBounds {
  /** A ballot's `closesAt` at least this long after it opens (U4SSC_BALLOT_MIN_LEAD_SECONDS). */
  ballotMinLeadSeconds: number;
  /** A ballot's `closesAt` at most this long after it opens (U4SSC_BALLOT_MAX_LEAD_DAYS). */
  ballotMaxLeadDays: number;
  /** A workplan's `inputDeadline` after now and at most this long ahead (U4SSC_WORKPLAN_MAX_LEAD_DAYS). */
  workplanMaxLeadDays: number;
}

/**
 * An hour: the least in which Partners can be told of a ballot and vote (ToR ¶13(b)); a vote at a meeting is
 * closed by the Secretariat or when all have voted, before its deadline. A year for a ballot, two for a workplan
 * cycle's inputs: anything further is a mistyped year, not a plan.
 */
export const DEFAULT_DEADLINE_BOUNDS: DeadlineBounds = Object.freeze({ ballotMinLeadSeconds: 3600, ballotMaxLeadDays: 366, workplanMaxLeadDays: 731 });

/** The bounds in force: the configured ones, the defaults for the rest. */
export function deadlineBounds(config: Pick<AppConfig, 'deadlines'>): DeadlineBounds {
  return { ...DEFAULT_DEADLINE_BOUNDS, ...config.deadlines };
}

/**
 * An OpenID Connect provider the web interface signs people in with (authorization code + PKCE). The session
 * then holds the provider's access token, which the API checks like any bearer token: against U4SSC_JWKS_URL
 * (required with a provider), for the provider's issuer and the API's audience.
 */
export interface OidcSettings {
  /** The issuer URL (its `/.well-known/openid-configuration` is read at the first sign-in, and again until read). */
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string;
  /** Shown on the sign-in button ("Sign in with ..."). */
  name?: string;
  /** Asked for at sign-in; `openid profile` unless U4SSC_OIDC_SCOPE says otherwise (always with `openid`). */
  scope: string;
  /** The RFC 8707 resource indicator sent at sign-in, so the access token is a JWT for this API (also its audience by default). */
  resource?: string;
  /** This service's callback as registered at the provider; derived from each request's host when absent. */
  redirectUri?: string;
}
