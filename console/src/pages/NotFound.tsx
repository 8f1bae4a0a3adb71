import { t } from '../i18n';
import { Link } from '../components/bits';

export function NotFound() {
  return (
    <section>
      <h1>{t('notfound.title')}</h1>
      <p>
        <Link href="/">{t('notfound.home')}</Link>
      </p>
    </section>
  );
}
