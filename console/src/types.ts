// Shapes of the REST API's JSON (see src/wfe/*_handlers.cc and GET /api/v1/openapi.json).

export type Role = 'owner' | 'member' | 'reviewer' | 'admin';
export const ROLES: Role[] = ['owner', 'member', 'reviewer', 'admin'];

/** One account a person may act in (GET /session `accounts`). */
export interface AccountChoice {
  id: string;
  name: string;
  role: Role;
}

/** GET/POST /session, POST /session/account and POST /invitation/accept. `user.id` is the
 * person's membership id in the current account (the id /users lists). */
export interface Session {
  user: { id: string; email: string; role: Role; account_id: string; created_at?: string };
  account: { id: string; name: string; created_at?: string } | null;
  accounts: AccountChoice[];
  authenticated_by?: 'session' | 'api_key';
  csrf_token: string;
}

export type MemberStatus = 'active' | 'invited' | 'disabled';

/** A person's membership of the account (/users). */
export interface Member {
  id: string;
  email: string;
  role: Role;
  status: MemberStatus;
  account_id: string;
  created_at: string;
  /** Set while the status is `invited`. */
  invitation_expires_at: string | null;
  /** When the person accepted an invitation to this account (or was added active); null when
   * they never did: a `disabled` row with null is a withdrawn invitation, which only a fresh
   * invitation (POST /users/{id}/invitation) re-opens. */
  accepted_at: string | null;
}

/** POST /users and POST /users/{id}/invitation: the membership, whether the link was emailed,
 * and for admins the link itself. */
export interface InvitationSent extends Member {
  invitation_emailed?: boolean;
  invitation_url?: string;
}

/** POST /invitation: what a link offers. */
export interface InvitationView {
  email: string;
  account: { id: string; name: string };
  role: Role;
  expires_at: string | null;
  password_set: boolean;
}

export interface Product {
  id: string;
  name: string;
  type: 'dv' | 'ov' | 'ev';
  coverage: 'single' | 'multi' | 'wildcard' | 'mixed';
  max_domains: number;
  issuer: string | null;
  term_months: number;
}

export interface Instructions {
  record_name?: string;
  /** The record's name relative to the registered domain (_dnsauth.www), as DNS consoles ask. */
  host_record?: string;
  registered_domain?: string;
  record_type?: string;
  value?: string;
  target?: string;
  check_command?: string;
  url?: string;
  path?: string;
  content?: string;
  email?: string;
  [k: string]: unknown;
}

export interface OrderValidation {
  id: string;
  /** The domain validation's id (the order view names it so; `id` in older servers). */
  validation_id?: string;
  /** The certificate names this validation proves (www.x.com and x.com by one of x.com). */
  covers?: string[];
  for: string;
  domain: string;
  method: string;
  status: string;
  instructions: Instructions;
  last_error: string | null;
  last_reason: string | null;
  last_checked_at: string | null;
  validated_at: string | null;
  expires_at: string | null;
}

export interface Person {
  name: string;
  position: string;
  phone: string;
  email: string;
}

export interface Organization {
  id?: string;
  name: string;
  department?: string;
  country: string;
  province?: string;
  city?: string;
  address?: string;
  phone?: string;
  registration_number?: string;
  business_category?: string;
  jurisdiction_country?: string;
}

/** The key of an application or a reissue: generated online or the applicant's CSR. */
export interface KeyChoice {
  generate?: { algorithm: string; password?: string; password_set?: boolean };
  csr?: string;
}

export interface Application {
  domains?: string[];
  key?: KeyChoice;
  organization_id?: string;
  administrator_id?: string;
  applicant_type?: 'company' | 'individual';
  organization?: Organization;
  administrator?: Person;
  contact?: Person | 'same_as_administrator';
  validation_method?: string;
}

export interface Attachment {
  id: string;
  kind: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_at: string;
}

export type OrderAction =
  | 'edit_application'
  | 'submit'
  | 'resubmit'
  | 'cancel'
  | 'check_validations'
  | 'upload_attachment'
  | 'review'
  | 'download'
  | 'restart_validation';

export interface Order {
  id: string;
  product: string;
  type: string;
  status: 'pending_information' | 'processing' | 'review_failed' | 'issued' | 'cancelled';
  sub_status: string;
  progress: { dcv: string; review: string };
  // What the user may do now, decided by the server (core/order_state.h); never re-derived here.
  allowed_actions: OrderAction[];
  needs_applicant: boolean;
  review: { status: string; reason: string | null };
  application: Application;
  names: string[];
  validations: OrderValidation[];
  attachments: Attachment[];
  timeline: { at: string; event: string; actor: string; detail: string; actor_email?: string | null }[];
  certificate_id: string | null;
  created_at: string;
  submitted_at: string | null;
  issued_at: string | null;
}

export interface Certificate {
  id: string;
  serial: string;
  names: string[];
  status: 'active' | 'revoked' | 'expired';
  not_before: string;
  not_after: string;
  issuer: string;
  order_id: string | null;
  alias: string | null;
  project: string | null;
  private_key_held: boolean;
  hosted: boolean;
  source: string;
  reminders_enabled: boolean;
  reminder_days: number[] | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  /** After a reissue, the old certificate is revoked this many hours after the new one is
   * issued; 0: not automatically. Absent on servers that do not say. */
  superseded_revocation_hours?: number;
  /** The product, when the server names it. */
  product?: string;
  certificate?: string;
  chain?: string;
}
