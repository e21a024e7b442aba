/** The event store backends the engine can run on (DESIGN.md §3). */
export const STORE_KINDS = ['sqlite', 'postgres', 'eventstoredb', 'memory'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * The engine's settings, read from the environment by `loadConfig`. The API and the CLI read the same
 * variables (DESIGN.md §4), so `u4ssc` commands see the store the API uses.
 */
export interface AppConfig {
  store: StoreKind;
  /** The embedded store's file, as given (relative paths resolve against the working directory). */
  sqliteFile: string;
  /** Set whenever `store` is `postgres`. */
  databaseUrl?: string;
  /** The PostgreSQL schema holding the events and read models; `public` when unset. */
  databaseSchema?: string;
  /** Set whenever `store` is `eventstoredb`. */
  eventStoreUrl?: string;
  port: number;
  /** HS256 secret for local tokens; when absent (and no JWKS) `resolveTokenSecret` generates and keeps one. */
  tokenSecret?: string;
  /** An external identity provider's key set; when set, local tokens are off. */
  jwksUrl?: string;
  /** Checked against external tokens' `iss` when set. */
  jwtIssuer?: string;
  /** Checked against external tokens' `aud` when set. */
  jwtAudience?: string;
}
