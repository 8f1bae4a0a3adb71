// What an order allows, as the server says (the order view's allowed_actions and
// needs_applicant, from core/order_state.h): the console never re-derives the state rules.
import type { Order, OrderAction } from '../types';

export const allows = (o: Order, action: OrderAction) => o.allowed_actions.includes(action);
export const needsAction = (o: Order) => o.needs_applicant;
export const editable = (o: Order) => allows(o, 'edit_application');
export const cancellable = (o: Order) => allows(o, 'cancel');
