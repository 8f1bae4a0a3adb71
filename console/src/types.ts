// Shapes of the REST API's JSON. They are written once, in api/schemas/*.json, from which
// scripts/gen-api.py makes both GET /api/v1/openapi.json and api-types.generated.ts; here they get
// the console's names, and only what the console adds is written by hand.

import type * as api from './api-types.generated';

export type {
  Application,
  Attachment,
  InvitationView,
  KeyChoice,
  Order,
  Person,
  Product,
} from './api-types.generated';

export type Role = api.User['role'];
export const ROLES: Role[] = ['owner', 'member', 'reviewer', 'admin'];

/** One account a person may act in (GET /session `accounts`). */
export type AccountChoice = api.Session['accounts'][number];

/** GET/POST /session, POST /session/account and POST /invitation/accept. The console signs in
 * with the cookie, so its sessions always carry the CSRF token. */
export interface Session extends api.Session {
  csrf_token: string;
}

export type MemberStatus = api.User['status'];

/** A person's membership of the account (/users). */
export type Member = api.User;

/** POST /users and POST /users/{id}/invitation: the membership, whether the link was emailed,
 * and for admins the link itself. */
export type InvitationSent = api.User;

/** A domain validation as an order shows it (with `for`, `validation_id` and `covers`). */
export type OrderValidation = api.DomainValidation;

/** An organization in an application; `id` when it is a saved one (GET /organizations). */
export interface Organization extends api.ApplicationOrganization {
  id?: string;
}

export type OrderAction = api.Order['allowed_actions'][number];

export interface Certificate extends api.Certificate {
  /** PEM intermediates, when a server includes them (this one does not). */
  chain?: string;
}

/** POST /password-reset/check: whose password the emailed link sets, and until when it works. */
export type PasswordResetView = api.PasswordResetView;

/** POST /password-reset/confirm: the address to sign in with. */
export type PasswordResetDone = api.PasswordResetDone;

/** One of the signed-in person's browser sessions (GET /sessions), across their accounts;
 * `current` is this browser's. */
export type BrowserSession = api.BrowserSession;

/** GET /sessions. */
export type BrowserSessionList = api.BrowserSessionList;

/** Deployment (issue 16). A target's fields depend on its type (ssh: host, port, username,
 * host_key, auth, files, reload_command; local: files, reload_command; webhook: url); secrets are
 * never returned. `webhook_secret` is in the answer to a webhook target's creation only. */
export interface DeploymentTarget {
  id: string;
  name: string;
  type: api.DeploymentTarget['type'];
  host?: string;
  port?: number;
  username?: string;
  host_key?: string;
  auth?: api.DeploymentTarget['auth'];
  files?: Partial<api.TargetFiles>;
  reload_command?: string;
  has_keystore_password?: boolean;
  url?: string;
  webhook_secret?: string;
  created_at: string;
  updated_at: string;
}

export type TargetFiles = Partial<api.TargetFiles>;
export type TargetTest = api.TargetTest;
export type VerifyEndpoint = api.VerifyEndpoint;
export type VerifyProtocol = api.VerifyEndpoint['protocol'];
export type DeploymentStatus = api.Deployment['status'];

/** One run of a deployment (GET /deployments); started_at and finished_at are null until then. */
export interface Deployment extends Omit<api.Deployment, 'started_at' | 'finished_at'> {
  started_at: string | null;
  finished_at: string | null;
}

/** A certificate's lineage bound to a target: `verify` is null when the server is not checked,
 * `last_deployment` null before the first run. */
export interface Binding extends Omit<api.Binding, 'verify' | 'last_deployment'> {
  verify: VerifyEndpoint | null;
  last_deployment: Deployment | null;
}

/** Monitoring (issue 17): TLS endpoints Signet checks on a schedule. */
export type MonitorStatus = api.MonitorCheck['status'];
export type MonitorProtocol = api.Monitor['protocol'];
export type MonitorProblem = api.MonitorProblem;
export type ServedCertificate = api.ServedCertificate;

/** One address of the host: `certificate` is null when none was served (unreachable), and
 * `certificate_id` null when the served certificate is not in the account's inventory. */
export interface AddressCheck extends Omit<api.AddressCheck, 'certificate' | 'certificate_id'> {
  certificate: ServedCertificate | null;
  certificate_id: string | null;
}

/** A check: the worst status of the addresses, the first served certificate, every problem once. */
export interface MonitorCheck extends Omit<api.MonitorCheck, 'certificate' | 'certificate_id' | 'addresses'> {
  certificate: ServedCertificate | null;
  certificate_id: string | null;
  addresses: AddressCheck[];
}

/** A monitor; status, checked_at and last_check are null before its first check. */
export interface Monitor extends Omit<api.Monitor, 'status' | 'checked_at' | 'last_check'> {
  status: MonitorStatus | null;
  checked_at: string | null;
  last_check?: MonitorCheck | null;
}
