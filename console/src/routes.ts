// Path → page. Reviewers land on the review workbench; applicants and admins (who run the whole
// service, their own account's orders too) on the overview.
import type { FunctionComponent } from 'preact';
import { match } from './router';
import { isReviewer } from './session';
import type { Session } from './types';
import { Overview } from './pages/Overview';
import { Purchase } from './pages/Purchase';
import { Orders } from './pages/Orders';
import { OrderPage } from './pages/OrderPage';
import { Wizard } from './pages/Wizard';
import { Certificates } from './pages/Certificates';
import { CertificateDetail } from './pages/CertificateDetail';
import { Profiles } from './pages/Profiles';
import { Keys } from './pages/Keys';
import { Notifications } from './pages/Notifications';
import { DeploymentTargets } from './pages/DeploymentTargets';
import { Deployments } from './pages/Deployments';
import { Monitors } from './pages/Monitors';
import { MonitorDetail } from './pages/MonitorDetail';
import { ReviewQueue } from './pages/ReviewQueue';
import { ReviewOrder } from './pages/ReviewOrder';
import { Audit } from './pages/Audit';
import { Upstreams } from './pages/Upstreams';
import { People } from './pages/People';
import { Security } from './pages/Security';
import { NotFound } from './pages/NotFound';

type Page = FunctionComponent<any>;
const routes: [string, Page][] = [
  ['/purchase', Purchase],
  ['/orders', Orders],
  ['/orders/:id', OrderPage],
  ['/orders/:id/application', Wizard],
  ['/certificates', Certificates],
  ['/certificates/:id', CertificateDetail],
  ['/profiles', Profiles],
  ['/keys', Keys],
  ['/notifications', Notifications],
  ['/deployment-targets', DeploymentTargets],
  ['/deployments', Deployments],
  ['/monitors', Monitors],
  ['/monitors/:id', MonitorDetail],
  ['/review', ReviewQueue],
  ['/review/:id', ReviewOrder],
  ['/audit', Audit],
  ['/upstreams', Upstreams],
  ['/users', People],
  ['/security', Security],
];

export function routeFor(path: string, session: Session): { component: Page; params: Record<string, string> } {
  if (path.split('?')[0] === '/') return { component: isReviewer(session) ? ReviewQueue : Overview, params: {} };
  for (const [pattern, component] of routes) {
    const params = match(pattern, path);
    if (params) return { component, params };
  }
  return { component: NotFound, params: {} };
}
