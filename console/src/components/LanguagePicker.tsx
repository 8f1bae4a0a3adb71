// The language choice on the public pages (sign-in, invitation, password reset), which have no
// header: a labelled select under the form.
import { getLocale, setLocale, t } from '../i18n';

export function LanguagePicker({ id }: { id: string }) {
  return (
    <div class="field lang-inline">
      <label for={id}>{t('nav.language')}</label>
      <select id={id} value={getLocale()} onChange={(e) => setLocale((e.target as HTMLSelectElement).value as any)}>
        <option value="en">English</option>
        <option value="zh-CN">简体中文</option>
      </select>
    </div>
  );
}
