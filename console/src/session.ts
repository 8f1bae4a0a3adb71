// The signed-in user, shared by every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Session } from './types';

export interface SessionState {
  session: Session;
  signOut: () => void;
  /** The session ended on the server already (signed out from the Sessions list): back to the
   * sign-in page without asking the server. */
  signedOut: () => void;
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

/** Reviewers work on the review workbench only (and read the audit log). */
export const isReviewer = (s: Session) => s.user.role === 'reviewer';

/** Admins run the whole service: everything an applicant does in their own account, and the
 * review workbench, every account's people and the audit log. */
export const isAdmin = (s: Session) => s.user.role === 'admin';

/** Owners manage their account's people; admins anyone's. */
export const canManagePeople = (s: Session) => s.user.role === 'owner' || s.user.role === 'admin';
