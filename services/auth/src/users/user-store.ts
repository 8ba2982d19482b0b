/**
 * What the token side needs to know about people. Implemented by the people side
 * (src/people/), used by the token endpoint (refresh, code exchange) and introspection.
 */
export interface UserRecord {
  /** Stable subject identifier (`sub`), never reused. */
  id: string;
  username: string;
  roles: string[];
  disabled: boolean;
  /** OIDC standard claims shown by UserInfo and the ID token when the scope allows. */
  name?: string | undefined;
  email?: string | undefined;
}

export interface UserStore {
  findById(id: string): Promise<UserRecord | undefined>;
}
