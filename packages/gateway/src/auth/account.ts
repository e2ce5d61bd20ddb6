// The identity an auth check hands to the gateway.

/** The caller, shaped like go-micro's auth.Account (the fields its JWTs carry). */
export interface Account {
  /** The token's `sub`. */
  id: string;
  /** go-micro writes "user", "admin" or "service". */
  type: string;
  scopes: string[];
  metadata: Record<string, string>;
}
