// What an order allows, as the server says (the order view's allowed_actions and
// needs_applicant, from core/order_state.h): the console never re-derives the state rules.
import type { Order, OrderAction } from '../types';

export const allows = (o: Order, action: OrderAction) => o.allowed_actions.includes(action);
export const needsAction = (o: Order) => o.needs_applicant;
export const editable = (o: Order) => allows(o, 'edit_application');
export const cancellable = (o: Order) => allows(o, 'cancel');

/**
 * The order's current step as the applicant should read it: the server's sub-status, except
 * while domain validation has stopped (a validation expired or failed, progress.dcv "failed"),
 * which the server may still call WAIT-ISSUE: then the applicant must start it again, and the
 * order is not issuing.
 */
export function currentStep(o: Order): string {
  if (o.status === 'processing' && o.progress?.dcv === 'failed') {
    return allows(o, 'restart_validation') ? 'DCV-RESTART' : 'DCV-STOPPED';
  }
  return o.sub_status;
}
