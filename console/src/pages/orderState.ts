// Which orders wait for the applicant (rather than for DNS, a reviewer or the CA).
import type { Order } from '../types';

export function needsAction(o: Order): boolean {
  if (o.status === 'pending_information' || o.status === 'review_failed') return true;
  if (o.status !== 'processing') return false;
  return o.progress.dcv === 'pending' || o.progress.review === 'pending_attachments';
}

export const editable = (o: Order) => o.status === 'pending_information' || o.status === 'review_failed';
export const cancellable = (o: Order) => o.status !== 'issued' && o.status !== 'cancelled';
