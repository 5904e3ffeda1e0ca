import { useAuth } from '../auth';
import { Page } from '../components/ui';
import { Link } from '../router';

const TILES = [
  { to: '/web/scan', title: 'Scan', text: 'Scan any barcode and see what it is.' },
  { to: '/web/move', title: 'Move stock', text: 'Scan stock items and the location they go to.' },
  { to: '/web/receive', title: 'Receive goods', text: 'Scan supplier labels to receive a purchase order.' },
  { to: '/web/allocate', title: 'Allocate to a sales order', text: 'Scan stock items to allocate them to an order.' },
  { to: '/web/labels', title: 'Labels', text: 'Print labels with Stockscan barcodes.' },
  { to: '/web/history', title: 'Scan history', text: 'What was scanned, by whom, and what happened.' },
  { to: '/web/unmatched', title: 'Unmatched scans', text: 'Barcodes nobody could find, to link or dismiss.' },
];

export function HomePage() {
  const { user } = useAuth();
  return (
    <Page title="Stockscan">
      <p>Signed in as {user?.username}. What do you want to do?</p>
      <ul className="tiles">
        {TILES.map((t) => (
          <li key={t.to}>
            <Link to={t.to} className="tile">
              <strong>{t.title}</strong>
              <span>{t.text}</span>
            </Link>
          </li>
        ))}
      </ul>
    </Page>
  );
}
