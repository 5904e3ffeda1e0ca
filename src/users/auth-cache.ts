/**
 * What token authentication reads on every request — the token row, its user, the user's
 * permissions — kept in this process under the data generation (db/generation.ts). Every
 * write that could change an answer (a token revoked, deleted or re-dated, a user disabled or
 * changed, a group, membership or ruleset changed) raises the generation in the same
 * transaction, in whichever process makes it; the next request reads the new generation and
 * everything cached under the old one is dropped. Expiry is checked on every request against
 * the cached expiry date. Unknown keys are never cached.
 */
import type { AuthUser } from './users.js';
import type { Permissions } from './roles.js';

export interface CachedToken {
  tokenId: number;
  userId: number;
  revoked: boolean;
  expiry: string;
  /** The day `last_seen` was last written (not covered by the generation: only this process refreshes it). */
  lastSeen: string | null;
}

/** Entries per map; a full map is emptied rather than grown (plain, bounded memory). */
const MAX_ENTRIES = 10_000;

export class AuthCache {
  private generation = -1;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly users = new Map<number, AuthUser>();
  private readonly permissions = new Map<number, Permissions>();

  /** Moves to `generation`, dropping everything loaded under another one. */
  private at(generation: number): true {
    if (generation !== this.generation) {
      this.tokens.clear();
      this.users.clear();
      this.permissions.clear();
      this.generation = generation;
    }
    return true;
  }

  private static put<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, value);
  }

  token(generation: number, lookup: string): CachedToken | undefined {
    return this.at(generation) ? this.tokens.get(lookup) : undefined;
  }

  storeToken(generation: number, lookup: string, token: CachedToken): void {
    if (this.at(generation)) AuthCache.put(this.tokens, lookup, token);
  }

  user(generation: number, id: number): AuthUser | undefined {
    return this.at(generation) ? this.users.get(id) : undefined;
  }

  storeUser(generation: number, user: AuthUser): void {
    if (this.at(generation)) AuthCache.put(this.users, user.id, user);
  }

  permissionsOf(generation: number, userId: number): Permissions | undefined {
    return this.at(generation) ? this.permissions.get(userId) : undefined;
  }

  storePermissions(generation: number, userId: number, permissions: Permissions): void {
    if (this.at(generation)) AuthCache.put(this.permissions, userId, permissions);
  }
}
