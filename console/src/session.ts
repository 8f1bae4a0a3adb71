// The signed-in user, shared by every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from './types';

export interface SessionState {
  session: Session;
  signOut: () => void;
  /** A new Session document (another account, or the same person changed): the app starts over
   * in it at `next` (default the overview). */
  enter: (s: Session, next?: string) => void;
  /** Reads GET /session again (after a change to the signed-in person's own role or status). */
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession() {
  return useContext(SessionContext)!;
}

export const isStaff = (s: Session) => s.user.role === 'reviewer' || s.user.role === 'admin';

/** Owners manage their account's people; admins anyone's. */
export const canManagePeople = (s: Session) => s.user.role === 'owner' || s.user.role === 'admin';
