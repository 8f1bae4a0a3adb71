// The order's steps as a progress bar: information → validation (and review) → issued.
import { t, type Key } from '../i18n';
import type { Order } from '../types';

type State = 'done' | 'current' | 'upcoming' | 'failed' | 'skipped';

export function Progress({ order }: { order: Order }) {
  const submitted = order.status !== 'pending_information';
  const dcv: State = !submitted ? 'upcoming' : order.progress.dcv === 'valid' ? 'done' : order.progress.dcv === 'failed' ? 'failed' : 'current';
  const r = order.progress.review;
  const review: State =
    r === 'not_required' ? 'skipped' : !submitted ? 'upcoming' : r === 'approved' ? 'done' : r === 'rejected' ? 'failed' : 'current';
  const steps: [Key, State][] = [
    ['progress.information', submitted ? 'done' : 'current'],
    ['progress.dcv', dcv],
    ['progress.review', review],
    ['progress.issued', order.status === 'issued' ? 'done' : order.status === 'cancelled' ? 'failed' : 'upcoming'],
  ];
  return (
    <ol class="progress" aria-label={t('progress.label')}>
      {steps.map(([key, state]) => (
        <li class={'step ' + state} key={key} aria-current={state === 'current' ? 'step' : undefined}>
          <span class="dot" aria-hidden="true" />
          <span>{t(key)}</span>
          <small>{t(('progress.' + state) as Key)}</small>
        </li>
      ))}
    </ol>
  );
}
