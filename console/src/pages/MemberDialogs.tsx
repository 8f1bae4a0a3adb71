// Changes to one person of the account: the role (PATCH /users/{id} {role}) and disabling or
// withdrawing an invitation (PATCH {status: disabled}), each confirmed in a dialog. The server
// refuses to leave the account without an active owner (last_owner), shown in the dialog.
import { useState } from 'preact/hooks';
import { patch } from '../api';
import { useAction } from '../hooks';
import { t, tMaybe } from '../i18n';
import type { Member, Role } from '../types';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';

export const roleName = (r: string) => tMaybe('role.' + r, r);

/** The roles the signed-in person may give: owners owner and member, admins all four. */
export function assignableRoles(myRole: Role): Role[] {
  return myRole === 'admin' ? ['member', 'owner', 'reviewer', 'admin'] : ['member', 'owner'];
}

/** Radio buttons for the roles, each with what it may do. */
export function RoleChoice(props: { name: string; roles: Role[]; value: Role; onChange: (r: Role) => void }) {
  return (
    <fieldset class="roles">
      <legend>{t('people.role')}</legend>
      {props.roles.map((r) => (
        <div class="check role-option" key={r}>
          <input
            type="radio"
            id={props.name + '-' + r}
            name={props.name}
            value={r}
            checked={props.value === r}
            aria-describedby={props.name + '-' + r + '-hint'}
            onChange={() => props.onChange(r)}
          />
          <label for={props.name + '-' + r}>
            <strong>{roleName(r)}</strong>
            <small class="hint" id={props.name + '-' + r + '-hint'}>
              {tMaybe('role_hint.' + r, '')}
            </small>
          </label>
        </div>
      ))}
    </fieldset>
  );
}

export function RoleDialog(props: { member: Member; roles: Role[]; self: boolean; onClose: () => void; onDone: (m: Member) => void }) {
  const [role, setRole] = useState<Role>(props.member.role);
  const action = useAction();
  const save = async (e: Event) => {
    e.preventDefault();
    const m = await action.run(() => patch<Member>('/users/' + props.member.id, { role }));
    if (m) props.onDone(m);
  };
  const demotingMyself = props.self && props.member.role === 'owner' && role !== 'owner';
  return (
    <Dialog title={t('people.role_title', { email: props.member.email })} onClose={props.onClose}>
      <form onSubmit={save}>
        <RoleChoice name="member-role" roles={props.roles} value={role} onChange={setRole} />
        {demotingMyself && (
          <p class="warning" id="role-self-warning">
            {t('people.role_self_warning')}
          </p>
        )}
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" disabled={action.busy || role === props.member.role}>
            {t('people.save_role')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function DisableDialog(props: { member: Member; self: boolean; onClose: () => void; onDone: (m: Member) => void }) {
  const action = useAction();
  const invited = props.member.status === 'invited';
  const go = async (e: Event) => {
    e.preventDefault();
    const m = await action.run(() => patch<Member>('/users/' + props.member.id, { status: 'disabled' }));
    if (m) props.onDone(m);
  };
  return (
    <Dialog
      title={t(invited ? 'people.withdraw_title' : 'people.disable_title', { email: props.member.email })}
      onClose={props.onClose}
    >
      <form onSubmit={go}>
        <p>{t(invited ? 'people.withdraw_text' : 'people.disable_text')}</p>
        {props.self && !invited && <p class="warning">{t('people.disable_self')}</p>}
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" class="danger" disabled={action.busy}>
            {t(invited ? 'people.withdraw' : 'people.disable')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
