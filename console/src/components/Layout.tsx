// Header with the navigation, the account switcher (for people in several accounts), the
// language switch, the person's email (a link to their own sign-in: password and sessions) and
// sign-out; a skip link for keyboard users. On a phone the navigation folds behind a menu button.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { getLocale, setLocale, t, type Key } from '../i18n';
import { canManagePeople, isAdmin, isReviewer, useSession } from '../session';
import { AccountSwitcher } from './AccountSwitcher';
import { Link } from './bits';

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const { session, signOut } = useSession();
  const [open, setOpen] = useState(false);
  const people: [string, Key][] = canManagePeople(session) ? [['/users', 'nav.people']] : [];
  // Reviewers work on the review workbench. Everyone else has their account's pages; admins, who
  // run the whole service, have those and the workbench, the brands' upstream CAs, people and the
  // audit log besides.
  const items: [string, Key][] = isReviewer(session)
    ? [['/review', 'nav.review'], ['/audit', 'nav.audit']]
    : [
        ['/', 'nav.overview'],
        ['/purchase', 'nav.purchase'],
        ['/orders', 'nav.orders'],
        ['/certificates', 'nav.certificates'],
        ['/deployment-targets', 'nav.deployment'],
        ['/monitors', 'nav.monitors'],
        ['/profiles', 'nav.profiles'],
        ['/keys', 'nav.keys'],
        ['/notifications', 'nav.notifications'],
        ...(isAdmin(session)
          ? ([
              ['/review', 'nav.review'],
              ['/upstreams', 'nav.upstreams'],
            ] as [string, Key][])
          : []),
        ...people,
        ['/audit', 'nav.audit'],
      ];
  // After a navigation, keyboard and screen-reader users continue at the new content, unless
  // the page has already focused a field of its own.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const active = document.activeElement;
    if (!active || active === document.body || active.closest('header')) document.getElementById('main')?.focus();
  }, [path]);
  const current = (href: string) =>
    href === '/' ? path === '/' : path === href || path.startsWith(href + '/') || path.startsWith(href + '?');
  return (
    <>
      <a class="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header class="top">
        <span class="brand">Signet</span>
        <button
          type="button"
          class="menu-button"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen(!open)}
        >
          {t('nav.menu')}
        </button>
        <nav id="main-nav" class={open ? 'open' : ''} aria-label={t('nav.label')} onClick={() => setOpen(false)}>
          {items.map(([href, key]) => (
            <span key={href} aria-current={current(href) ? 'page' : undefined}>
              <Link href={href}>{t(key)}</Link>
            </span>
          ))}
        </nav>
        <div class="user">
          {(session.accounts?.length || 0) > 1 && <AccountSwitcher />}
          <label class="sr-only" for="lang">
            {t('nav.language')}
          </label>
          <select id="lang" value={getLocale()} onChange={(e) => setLocale((e.target as HTMLSelectElement).value as any)}>
            <option value="en">English</option>
            <option value="zh-CN">简体中文</option>
          </select>
          {/* The person's own sign-in: password and browser sessions, for all their accounts. */}
          <Link href="/security" class="who" title={t('nav.security')} current={current('/security')}>
            <span class="sr-only">{t('nav.security')}: </span>
            {session.user.email}
          </Link>
          <button type="button" class="secondary small" onClick={signOut}>
            {t('nav.sign_out')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
