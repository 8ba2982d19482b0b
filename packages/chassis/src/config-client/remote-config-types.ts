/** What the config server answers for `GET /v1/config/:app/:profile`. */
export interface RemoteConfig {
  app: string;
  profile: string;
  /** The newest version among the layers (0: nothing stored). */
  version: number;
  /** When that version was written (ISO 8601). */
  updatedAt?: string | undefined;
  /** Layered values, secrets decrypted. */
  values: Record<string, unknown>;
  /** Dotted keys whose values are secrets. */
  secrets: string[];
}

/** Where a service's client-credentials token for the config server comes from. */
export interface TokenSource {
  getToken(): Promise<string>;
  invalidate?(): void;
}
