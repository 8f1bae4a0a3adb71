// Names for ids the API returns: product ids (dv-single) as the product's name, and the people of
// the account (membership ids, or user ids when the server says whose they are) as their email.
// Each list is read once per page load and shared by every page that needs it.
import { useEffect, useState } from 'preact/hooks';
import { all, get } from './api';
import { t, tMaybe } from './i18n';
import { canManagePeople, useSession } from './session';
import type { Member, Order, Product } from './types';

/** A list loaded once and shared; components re-render when it arrives. */
function shared<T>(load: () => Promise<T>) {
  let value: T | undefined;
  let pending: Promise<T> | null = null;
  const listeners = new Set<() => void>();
  const start = () => {
    if (!pending) {
      pending = load().then(
        (v) => {
          value = v;
          listeners.forEach((f) => f());
          return v;
        },
        (e) => {
          pending = null; // try again next time a page asks
          throw e;
        },
      );
      pending.catch(() => undefined);
    }
    return pending;
  };
  return {
    get: () => value,
    load: start,
    reset: () => {
      value = undefined;
      pending = null;
    },
    use(): T | undefined {
      const [, tick] = useState(0);
      useEffect(() => {
        const f = () => tick((n) => n + 1);
        listeners.add(f);
        void start();
        return () => void listeners.delete(f);
      }, []);
      return value;
    },
  };
}

const products = shared(() => all<Product>('/products'));

/** The catalog (GET /products), read once. */
export function useProducts(): Product[] | undefined {
  return products.use();
}

/** A product id as the product's name in the console's language (the server's name for a
 * product the translations do not know, the id while the catalog loads). */
export function productName(id: string, list?: Product[]): string {
  const p = (list || products.get())?.find((x) => x.id === id);
  return tMaybe('product.' + id, p?.name || id);
}

/** Re-renders when the catalog arrives; returns the naming function. */
export function useProductName(): (id: string) => string {
  const list = useProducts();
  return (id: string) => productName(id, list);
}

let peopleAccount = '';
const people = shared(async () => {
  const map: Record<string, string> = {};
  for (const m of await all<Member & { user_id?: string }>('/users')) {
    map[m.id] = m.email;
    if (m.user_id) map[m.user_id] = m.email;
  }
  return map;
});

/**
 * Who did something (a timeline's or audit log's actor), as a person reads it: "Signet" for the
 * system, "you", the person's email when this console may list the account's people (owners and
 * admins), else "a team member" (or `unknown` when the caller knows better, e.g. a reviewer).
 */
export function useActorName(): (actor: string, email?: string | null, unknown?: string) => string {
  const { session } = useSession();
  const allowed = canManagePeople(session);
  const account = session.account?.id || session.user.account_id;
  if (allowed && peopleAccount !== account) {
    peopleAccount = account;
    people.reset();
  }
  const [, tick] = useState(0);
  useEffect(() => {
    if (!allowed) return;
    let live = true;
    people.load().then(
      () => live && tick((n) => n + 1),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [allowed, account]);
  const map = allowed ? people.get() : undefined;
  return (actor, email, unknown) => {
    if (!actor || actor === 'system') return t('actor.system');
    if (actor === session.user.id || (email && email === session.user.email)) return t('actor.you');
    if (email) return email;
    if (actor.includes('@')) return actor;
    const known = map?.[actor];
    if (known) return known === session.user.email ? t('actor.you') : known;
    return unknown || t('actor.member');
  };
}

const orderProducts: Record<string, Promise<string>> = {};

/** The product of an order (for certificates, whose view names their order only), cached. */
export function orderProduct(orderId: string): Promise<string> {
  if (!orderProducts[orderId]) {
    orderProducts[orderId] = get<Order>('/orders/' + orderId).then(
      (o) => o.product,
      () => '',
    );
  }
  return orderProducts[orderId];
}
