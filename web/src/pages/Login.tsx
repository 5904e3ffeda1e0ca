import { useState, type FormEvent } from 'react';
import { errorText } from '../api';
import { useAuth } from '../auth';
import { navigate, useLocation } from '../router';

/** Where to go after signing in: a page of this app only. */
function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/web/') && !next.startsWith('/web/login') ? next : '/web/';
}

export function LoginPage() {
  const { login } = useAuth();
  const { search } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
      navigate(safeNext(search.get('next')), { replace: true });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <section className="page login" aria-labelledby="login-title">
      <h1 id="login-title">Sign in to Stockscan</h1>
      <form onSubmit={submit} className="form">
        <label htmlFor="login-username">Username</label>
        <input id="login-username" name="username" autoComplete="username" autoCapitalize="off" required value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
