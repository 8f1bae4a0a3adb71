// The order's steps as a progress bar: information → validation (and review) → issued. While
// domain validation has stopped, the step says what the applicant must do, and the last step
// never reads as issuing.
import { t, type Key } from '../i18n';
import type { Order } from '../types';
import { allows } from './orderState';

type State = 'done' | 'current' | 'upcoming' | 'failed' | 'skipped';

export function Progress({ order }: { order: Order }) {
  const submitted = order.status !== 'pending_information';
  const stopped = submitted && order.status === 'processing' && order.progress.dcv === 'failed';
  const dcv: State = !submitted ? 'upcoming' : order.progress.dcv === 'valid' ? 'done' : order.progress.dcv === 'failed' ? 'failed' : 'current';
  const r = order.progress.review;
  const review: State =
    r === 'not_required' ? 'skipped' : !submitted ? 'upcoming' : r === 'approved' ? 'done' : r === 'rejected' ? 'failed' : 'current';
  const steps: [Key, State, Key?][] = [
    ['progress.information', submitted ? 'done' : 'current'],
    ['progress.dcv', dcv, stopped ? (allows(order, 'restart_validation') ? 'progress.dcv_restart' : 'progress.dcv_stopped') : undefined],
    ['progress.review', review],
    ['progress.issued', order.status === 'issued' ? 'done' : order.status === 'cancelled' ? 'failed' : 'upcoming', stopped ? 'progress.waits_for_dcv' : undefined],
  ];
  return (
    <ol class="progress" aria-label={t('progress.label')}>
      {steps.map(([key, state, note]) => (
        <li class={'step ' + state} key={key} data-step={key.slice('progress.'.length)} aria-current={state === 'current' || (stopped && key === 'progress.dcv') ? 'step' : undefined}>
          <span class="dot" aria-hidden="true" />
          <span>{t(key)}</span>
          <small>{note ? t(note) : t(('progress.' + state) as Key)}</small>
        </li>
      ))}
    </ol>
  );
}
