/** The app shell: header and navigation, sign-in gate, and the page for the current URL. */
import { useEffect, useState } from 'react';
import { errorText } from './api';
import { useAuth } from './auth';
import { matchObjectRoute } from './models';
import { Link, navigate, useLocation } from './router';
import { AllocatePage } from './pages/Allocate';
import { HistoryPage } from './pages/History';
import { HomePage } from './pages/Home';
import { LabelsPage } from './pages/Labels';
import { LoginPage } from './pages/Login';
import { MovePage } from './pages/Move';
import { ObjectPage } from './pages/ObjectPage';
import { ReceivePage } from './pages/Receive';
import { ScanPage } from './pages/Scan';
import { UnmatchedPage } from './pages/Unmatched';

const NAV = [
  ['/web/scan', 'Scan'],
  ['/web/move', 'Move'],
  ['/web/receive', 'Receive'],
  ['/web/allocate', 'Allocate'],
  ['/web/labels', 'Labels'],
  ['/web/history', 'History'],
  ['/web/unmatched', 'Unmatched'],
] as const;

function Content({ pathname, hasItems }: { pathname: string; hasItems: boolean }) {
  switch (pathname) {
    case '/web':
    case '/web/home':
      return <HomePage />;
    case '/web/scan':
      return <ScanPage />;
    case '/web/move':
      return <MovePage />;
    case '/web/receive':
      return <ReceivePage />;
    case '/web/allocate':
      return <AllocatePage />;
    case '/web/labels':
      return <LabelsPage key={hasItems ? 'link' : 'sheet'} />;
    case '/web/history':
      return <HistoryPage />;
    case '/web/unmatched':
      return <UnmatchedPage />;
    default: {
      const match = matchObjectRoute(pathname);
      if (match !== undefined) return <ObjectPage key={`${match.model.type}-${match.pk}`} model={match.model} pk={match.pk} />;
      return (
        <section className="page">
          <h1>Page not found</h1>
          <p>
            Stockscan has no page at <code>{pathname}</code>. <Link to="/web/">Go to the start page</Link>.
          </p>
        </section>
      );
    }
  }
}

export function App() {
  const auth = useAuth();
  const { pathname, search, href } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [logoutError, setLogoutError] = useState<string | null>(null);
  const onLogin = pathname === '/web/login';

  useEffect(() => setMenuOpen(false), [href]);
  useEffect(() => {
    if (auth.status === 'signed-out' && !onLogin) navigate(`/web/login?next=${encodeURIComponent(href)}`, { replace: true });
    if (auth.status === 'signed-in' && onLogin) navigate('/web/', { replace: true });
  }, [auth.status, onLogin, href]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to the content
      </a>
      <header className="app-header no-print">
        <Link to="/web/" className="brand">
          Stockscan
        </Link>
        {auth.status === 'signed-in' && (
          <>
            <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>
              Menu
            </button>
            <nav id="main-nav" aria-label="Main" className={menuOpen ? 'open' : ''}>
              <ul>
                {NAV.map(([to, label]) => (
                  <li key={to}>
                    <Link to={to} aria-current={pathname === to ? 'page' : undefined}>
                      {label}
                    </Link>
                  </li>
                ))}
              </ul>
              <div className="user">
                <span>{auth.user?.username}</span>
                <button
                  type="button"
                  onClick={async () => {
                    setLogoutError(null);
                    try {
                      await auth.logout();
                    } catch (e) {
                      setLogoutError(errorText(e));
                    }
                  }}
                >
                  Sign out
                </button>
              </div>
            </nav>
          </>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {logoutError !== null && (
          <p className="error" role="alert">
            {logoutError}
          </p>
        )}
        {auth.status === 'loading' ? (
          <p className="loading" role="status">
            Loading…
          </p>
        ) : onLogin ? (
          auth.status === 'signed-out' ? <LoginPage /> : null
        ) : auth.status === 'signed-in' ? (
          <Content pathname={pathname} hasItems={search.has('items')} />
        ) : null}
      </main>
    </>
  );
}
