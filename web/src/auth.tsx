/**
 * Who is signed in. The browser session is the API's own (allauth-style endpoints under
 * /api/auth/v1/); the user's roles and permissions come from /api/user/roles/.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, UNAUTHORIZED_EVENT, api, get } from './api';

export interface Me {
  pk: number;
  username: string;
  first_name: string;
  last_name: string;
  email: string;
  is_staff: boolean;
  is_superuser: boolean;
}

export interface Roles {
  roles: Record<string, string[] | null>;
  permissions: Record<string, string[]>;
  is_staff: boolean;
  is_superuser: boolean;
}

interface AuthState {
  status: 'loading' | 'signed-out' | 'signed-in';
  user: Me | null;
  roles: Roles | null;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** May the user do `verb` (view, add, change, delete) on this model (e.g. `stockitem`)? */
  can(model: string, verb: string): boolean;
  /** Does the user hold `verb` on a role (ruleset), e.g. purchase_order add? */
  hasRole(role: string, verb: string): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthState['status']>('loading');
  const [user, setUser] = useState<Me | null>(null);
  const [roles, setRoles] = useState<Roles | null>(null);

  const loadUser = useCallback(async () => {
    const [me, r] = await Promise.all([get<Me>('/api/user/me/'), get<Roles>('/api/user/roles/')]);
    setUser(me);
    setRoles(r);
    setStatus('signed-in');
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        await get('/api/auth/v1/auth/session');
        if (!cancelled) await loadUser();
      } catch (error) {
        if (cancelled) return;
        if (!(error instanceof ApiError) || error.status !== 401) console.warn('session check failed', error);
        setUser(null);
        setStatus('signed-out');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [loadUser]);

  useEffect(() => {
    const signedOut = () => {
      setUser(null);
      setRoles(null);
      setStatus('signed-out');
    };
    window.addEventListener(UNAUTHORIZED_EVENT, signedOut);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, signedOut);
  }, []);

  const login = useCallback(
    async (username: string, password: string) => {
      await api('POST', '/api/auth/v1/auth/login', { username, password });
      await loadUser();
    },
    [loadUser],
  );

  const logout = useCallback(async () => {
    try {
      await api('DELETE', '/api/auth/v1/auth/session');
    } catch (error) {
      // 401 is the answer to a successful sign-out (nobody is signed in any more).
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    }
    setUser(null);
    setRoles(null);
    setStatus('signed-out');
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      status,
      user,
      roles,
      login,
      logout,
      can: (model, verb) => roles !== null && (roles.is_superuser || (roles.permissions[model] ?? []).includes(verb)),
      hasRole: (role, verb) => roles !== null && (roles.is_superuser || (roles.roles[role] ?? []).includes(verb)),
    }),
    [status, user, roles, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (state === null) throw new Error('useAuth outside AuthProvider');
  return state;
}
