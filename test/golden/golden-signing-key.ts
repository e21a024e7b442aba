/**
 * A fixed, public test key for the golden recorders: Ed25519 signatures are deterministic, so a recording signed with
 * it is byte for byte the same on every run. It signs nothing but test recordings.
 */
export const GOLDEN_SIGNING_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIOoff+isOog53HmsDeAq6VYCnIhEw5h1wjOROxXlu6Kr
-----END PRIVATE KEY-----
`;
