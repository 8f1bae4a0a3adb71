// Deployment targets (issue 16): where the account's certificates are installed. An SSH server
// (its host key pinned; Signet logs in with a key or a password, writes the files and runs the
// reload command), a webhook (Signet posts each certificate, signed with a secret shown once, at
// creation) or files on Signet's own host (only when the operator allows it). The server never
// returns a secret: the edit form leaves them empty, and an empty one keeps the stored one.
// "Test connection" connects and logs in without changing anything and shows the host key the
// server presented, which the edit form can take as the pin.
import { useState } from 'preact/hooks';
import { all, del, post, type ApiError } from '../api';
import { asApiError, useAction, useLoad } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import type { DeploymentTarget, TargetTest } from '../types';
import { CopyButton, Empty, Link, Loading } from '../components/bits';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import { TargetDialog } from './TargetDialog';

type TestState = { busy: true } | { result: TargetTest } | { error: ApiError };

/** A target's type in words (agent targets exist in the API only, not offered here). */
export function targetTypeName(type: string) {
  return tMaybe('target_type.' + type, type);
}

export function DeploymentTargets() {
  const list = useLoad(() => all<DeploymentTarget>('/deployment-targets'));
  // The form: a new target, or an existing one (with a host key to pin from a test, if any).
  const [editing, setEditing] = useState<{ target?: DeploymentTarget; hostKey?: string } | null>(null);
  const [deleting, setDeleting] = useState<DeploymentTarget | null>(null);
  const [notice, setNotice] = useState('');
  // A webhook target just created, with its signing secret: shown once.
  const [secret, setSecret] = useState<DeploymentTarget | null>(null);
  const [tests, setTests] = useState<Record<string, TestState>>({});

  const test = async (target: DeploymentTarget) => {
    setTests((s) => ({ ...s, [target.id]: { busy: true } }));
    let state: TestState;
    try {
      state = { result: await post<TargetTest>('/deployment-targets/' + target.id + '/test') };
    } catch (e) {
      state = { error: asApiError(e) };
    }
    setTests((s) => ({ ...s, [target.id]: state }));
  };
  const forget = (id: string) =>
    setTests((s) => {
      const { [id]: _, ...rest } = s;
      return rest;
    });

  const targets = list.data || [];
  return (
    <section>
      <div class="row wrap page-head">
        <h1>{t('targets.title')}</h1>
        <button
          type="button"
          id="add-target"
          onClick={() => {
            setNotice('');
            setSecret(null);
            setEditing({});
          }}
        >
          {t('targets.add')}
        </button>
      </div>
      <p class="muted">{t('targets.intro')}</p>
      <p>
        <Link href="/deployments" id="all-runs">
          {t('deployments.all_runs')}
        </Link>
      </p>
      {notice && (
        <div class="success" role="status" id="targets-notice">
          {notice}
        </div>
      )}
      {secret?.webhook_secret && (
        <div class="success" role="status" id="webhook-secret">
          <strong>{t('targets.secret_title', { name: secret.name })}</strong>
          <p>{t('targets.secret_text')}</p>
          <p class="copy-line">
            <code class="copyable" data-field="webhook_secret">
              {secret.webhook_secret}
            </code>
            <CopyButton text={secret.webhook_secret} label={t('targets.secret_label')} />
          </p>
          <p>
            <button type="button" class="secondary small" onClick={() => setSecret(null)}>
              {t('targets.secret_done')}
            </button>
          </p>
        </div>
      )}
      <div class="card">
        <ErrorBox error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : targets.length ? (
          <ul class="plain targets" id="target-list">
            {targets.map((target) => (
              <li key={target.id} class="target" data-name={target.name} data-type={target.type}>
                <TargetSummary target={target} />
                <div class="row-buttons start">
                  {target.type !== 'agent' && (
                    <button
                      type="button"
                      class="secondary small"
                      aria-label={t('targets.test_named', { name: target.name })}
                      disabled={'busy' in (tests[target.id] || {})}
                      onClick={() => test(target)}
                    >
                      {t('targets.test')}
                    </button>
                  )}
                  {target.type !== 'agent' && (
                    <button
                      type="button"
                      class="secondary small"
                      aria-label={t('action.edit_what', { what: target.name })}
                      onClick={() => {
                        setNotice('');
                        setEditing({ target });
                      }}
                    >
                      {t('action.edit')}
                    </button>
                  )}
                  <button
                    type="button"
                    class="danger secondary small"
                    aria-label={t('action.delete_what', { what: target.name })}
                    onClick={() => {
                      setNotice('');
                      setDeleting(target);
                    }}
                  >
                    {t('action.delete')}
                  </button>
                </div>
                {tests[target.id] && (
                  <TestResult
                    target={target}
                    state={tests[target.id]}
                    onPin={(hostKey) => {
                      setNotice('');
                      setEditing({ target, hostKey });
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
        ) : (
          !list.error && <Empty>{t('targets.none')}</Empty>
        )}
      </div>
      {editing && (
        <TargetDialog
          target={editing.target}
          hostKey={editing.hostKey}
          onClose={() => setEditing(null)}
          onSaved={(saved, created) => {
            setEditing(null);
            forget(saved.id);
            if (created && saved.webhook_secret) setSecret(saved);
            else setNotice(t(created ? 'targets.created' : 'targets.saved', { name: saved.name }));
            void list.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteTargetDialog
          target={deleting}
          onClose={() => setDeleting(null)}
          onDone={() => {
            setNotice(t('targets.deleted', { name: deleting.name }));
            forget(deleting.id);
            setDeleting(null);
            if (secret?.id === deleting.id) setSecret(null);
            void list.reload();
          }}
        />
      )}
    </section>
  );
}

/** Where a target is and what it writes. */
function TargetSummary({ target }: { target: DeploymentTarget }) {
  const files = Object.entries(target.files || {}).filter(([, path]) => path);
  return (
    <>
      <div class="target-head">
        <h2>{target.name}</h2>
        <span class="badge" data-type={target.type}>
          {targetTypeName(target.type)}
        </span>
      </div>
      <dl class="facts">
        {target.type === 'ssh' && (
          <>
            <dt>{t('targets.server')}</dt>
            <dd>
              <code class="target-address">
                {target.username}@{target.host}:{target.port}
              </code>{' '}
              <span class="muted">· {t(target.auth === 'password' ? 'targets.signs_in_password' : 'targets.signs_in_key')}</span>
            </dd>
            <dt>{t('targets.host_key')}</dt>
            <dd>
              <code class="host-key">{target.host_key}</code>
            </dd>
          </>
        )}
        {target.type === 'webhook' && (
          <>
            <dt>{t('targets.url')}</dt>
            <dd>
              <code>{target.url}</code>
            </dd>
          </>
        )}
        {files.length > 0 && (
          <>
            <dt>{t('targets.files')}</dt>
            <dd>
              <ul class="plain files">
                {files.map(([kind, path]) => (
                  <li key={kind}>
                    <span class="muted">{tMaybe('target_file.' + kind, kind)}</span> <code>{path}</code>
                  </li>
                ))}
              </ul>
              {target.has_keystore_password && <span class="muted">{t('targets.keystore_stored')}</span>}
            </dd>
          </>
        )}
        {target.type !== 'webhook' && target.type !== 'agent' && (
          <>
            <dt>{t('targets.reload')}</dt>
            <dd>{target.reload_command ? <code>{target.reload_command}</code> : <span class="muted">{t('targets.reload_none')}</span>}</dd>
          </>
        )}
        <dt>{t('targets.changed')}</dt>
        <dd>
          <time dateTime={target.updated_at}>{formatDate(target.updated_at)}</time>
        </dd>
      </dl>
    </>
  );
}

/** The answer of POST /deployment-targets/{id}/test: the console's own sentence, the server's
 * words, and the host key the server presented (to compare and pin when it is not the pin). */
function TestResult({ target, state, onPin }: { target: DeploymentTarget; state: TestState; onPin: (hostKey: string) => void }) {
  if ('busy' in state) {
    return (
      <p class="muted test-result" role="status" data-state="busy">
        {t('targets.testing')}
      </p>
    );
  }
  if ('error' in state) return <ErrorBox error={state.error} />;
  const r = state.result;
  const presented = r.host_key || '';
  const mismatch = target.type === 'ssh' && presented !== '' && presented !== target.host_key;
  const summary = !r.ok
    ? t('targets.test_failed')
    : target.type === 'ssh'
      ? t('targets.test_ok', { user: target.username || '', host: target.host || '' })
      : t('targets.test_nothing');
  return (
    <div class={(r.ok ? 'success' : 'error') + ' test-result'} role={r.ok ? 'status' : 'alert'} data-ok={String(r.ok)}>
      <strong>{summary}</strong>
      {!r.ok && r.detail && (
        <p class="detail">
          {t('targets.server_said')} <code class="server-words">{r.detail}</code>
        </p>
      )}
      {presented && (
        <>
          <p class="copy-line">
            <span>{mismatch ? t('targets.presented_other') : t('targets.presented')}</span>
            <code class="copyable" data-field="presented-host-key">
              {presented}
            </code>
            <CopyButton text={presented} label={t('targets.host_key')} />
          </p>
          {mismatch && (
            <>
              <p>{t('targets.compare_hint')}</p>
              <button type="button" class="small" id={'pin-' + target.id} onClick={() => onPin(presented)}>
                {t('targets.use_host_key')}
              </button>
            </>
          )}
        </>
      )}
    </div>
  );
}

function DeleteTargetDialog({ target, onClose, onDone }: { target: DeploymentTarget; onClose: () => void; onDone: () => void }) {
  const action = useAction();
  const remove = async () => {
    if (await action.run(async () => (await del('/deployment-targets/' + target.id), true))) onDone();
  };
  return (
    <Dialog title={t('targets.delete_title', { name: target.name })} onClose={onClose}>
      <p>{t('targets.delete_text')}</p>
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="button" class="secondary" autofocus onClick={onClose}>
          {t('action.keep')}
        </button>
        <button type="button" class="danger" disabled={action.busy} onClick={remove}>
          {t('action.delete')}
        </button>
      </div>
    </Dialog>
  );
}
