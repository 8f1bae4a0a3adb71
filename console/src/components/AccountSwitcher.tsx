// The current account in the header, with a menu of the person's other accounts (GET /session
// `accounts`). Choosing one moves this console session there (POST /session/account) and the app
// starts over at the overview. A disclosure: Escape or a click elsewhere closes it and gives focus
// back to the button.
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../api';
import { useAction } from '../hooks';
import { t, tMaybe } from '../i18n';
import { useSession } from '../session';
import type { Session } from '../types';
import { ErrorBox } from './ErrorBox';

export function AccountSwitcher() {
  const { session, enter } = useSession();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const action = useAction();
  const current = session.account?.id || session.user.account_id;
  const currentName = session.account?.name || session.accounts.find((a) => a.id === current)?.name || current;

  useEffect(() => {
    if (!open) return;
    box.current?.querySelector<HTMLElement>('[aria-current="true"]')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        toggle.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const choose = async (id: string) => {
    if (id === current) {
      setOpen(false);
      return;
    }
    const s = await action.run(() => post<Session>('/session/account', { account_id: id }));
    if (s) enter(s, '/');
  };

  return (
    <div class="accounts" ref={box}>
      <button
        type="button"
        class="account-button"
        ref={toggle}
        aria-expanded={open}
        aria-controls="account-menu"
        title={currentName}
        onClick={() => setOpen(!open)}
      >
        <span class="sr-only">{t('accounts.label')}: </span>
        <span class="account-name">{currentName}</span> <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div id="account-menu" class="account-menu">
          <p class="menu-title" id="account-menu-title">
            {t('accounts.switch')}
          </p>
          <ul class="plain" aria-labelledby="account-menu-title">
            {session.accounts.map((a) => (
              <li key={a.id}>
                <button
                  type="button"
                  class="account-choice"
                  aria-current={a.id === current ? 'true' : undefined}
                  disabled={action.busy}
                  onClick={() => choose(a.id)}
                >
                  <span class="account-name">{a.name}</span>
                  <small>
                    {tMaybe('role.' + a.role, a.role)}
                    {a.id === current ? ' · ' + t('accounts.current') : ''}
                  </small>
                </button>
              </li>
            ))}
          </ul>
          <ErrorBox error={action.error} />
        </div>
      )}
    </div>
  );
}
