// Shows an API problem: the localized title for its code when we have one, and the server's
// detail sentence (which names the field or rule) underneath.
import type { ApiError } from '../api';
import { t, tMaybe } from '../i18n';

export function ErrorBox({ error }: { error?: ApiError }) {
  if (!error) return null;
  const title =
    error.code === 'network'
      ? t('error.network')
      : tMaybe('problem.' + error.code, error.title || t('error.generic'));
  return (
    <div class="error" role="alert" data-code={error.code}>
      <strong>{title}</strong>
      {error.detail && <p class="detail">{error.detail}</p>}
    </div>
  );
}
