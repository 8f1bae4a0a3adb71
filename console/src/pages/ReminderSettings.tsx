// The account's expiry-reminder schedule (days before expiry), owners may change it.
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../api';
import { useAction } from '../hooks';
import { t } from '../i18n';
import { ErrorBox } from '../components/ErrorBox';

export function parseDays(s: string): number[] {
  return s
    .split(/[,，\s]+/)
    .filter(Boolean)
    .map(Number);
}

export function ReminderSettings() {
  const [days, setDays] = useState('');
  const [saved, setSaved] = useState(false);
  const action = useAction();
  useEffect(() => {
    action.run(() => get<{ days: number[] }>('/account/reminders')).then((r) => r && setDays(r.days.join(', ')));
  }, []);
  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const r = await action.run(() => put<{ days: number[] }>('/account/reminders', { days: parseDays(days) }));
    if (r) {
      setDays(r.days.join(', '));
      setSaved(true);
    }
  };
  return (
    <form class="card" onSubmit={save} aria-labelledby="reminders-title">
      <h2 id="reminders-title">{t('reminders.title')}</h2>
      <div class="field">
        <label for="reminder-days">{t('reminders.days')}</label>
        <input id="reminder-days" value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
        <small class="hint">{t('reminders.hint')}</small>
      </div>
      <ErrorBox error={action.error} />
      {saved && <p role="status">{t('common.saved')}</p>}
      <button type="submit" disabled={action.busy}>
        {t('action.save')}
      </button>
    </form>
  );
}
