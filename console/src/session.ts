// The signed-in user, shared by every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from './types';

export const SessionContext = createContext<{ session: Session; signOut: () => void } | null>(null);

export function useSession() {
  return useContext(SessionContext)!;
}

export const isStaff = (s: Session) => s.user.role === 'reviewer' || s.user.role === 'admin';
