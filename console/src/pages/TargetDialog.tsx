// Adding or changing a deployment target (POST or PATCH /deployment-targets). The server checks
// everything and its refusal names the field (invalid_target). Secrets are never shown: when
// changing a target they start empty and an empty one keeps the stored one (the request leaves it
// out). `hostKey` (from a connection test) fills the pin for the person to confirm by saving.
import { useState } from 'preact/hooks';
import { patch, post } from '../api';
import { useAction } from '../hooks';
import { t, type Key } from '../i18n';
import type { DeploymentTarget, TargetFiles } from '../types';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';

type Kind = 'ssh' | 'webhook' | 'local';
const KINDS: Kind[] = ['ssh', 'webhook', 'local'];
const FILES = ['fullchain', 'private_key', 'certificate', 'chain', 'pfx', 'jks'] as const;
type FileKind = (typeof FILES)[number];
const MAIN_FILES: FileKind[] = ['fullchain', 'private_key'];
const MORE_FILES: FileKind[] = ['certificate', 'chain', 'pfx', 'jks'];
const FILE_EXAMPLES: Record<FileKind, string> = {
  fullchain: '/etc/nginx/tls/example.com.pem',
  private_key: '/etc/nginx/tls/example.com.key',
  certificate: '/etc/ssl/certs/example.com.crt',
  chain: '/etc/ssl/certs/example.com.chain.pem',
  pfx: '/srv/app/example.com.pfx',
  jks: '/srv/tomcat/conf/example.com.jks',
};

interface Form {
  name: string;
  type: Kind;
  host: string;
  port: string;
  username: string;
  auth: 'private_key' | 'password';
  private_key: string;
  private_key_passphrase: string;
  password: string;
  host_key: string;
  files: Record<FileKind, string>;
  reload_command: string;
  keystore_password: string;
  url: string;
}

function formOf(target?: DeploymentTarget, hostKey?: string): Form {
  const files = Object.fromEntries(FILES.map((f) => [f, target?.files?.[f] || ''])) as Record<FileKind, string>;
  return {
    name: target?.name || '',
    type: (target?.type as Kind) || 'ssh',
    host: target?.host || '',
    port: String(target?.port || 22),
    username: target?.username || '',
    auth: target?.auth === 'password' ? 'password' : 'private_key',
    private_key: '',
    private_key_passphrase: '',
    password: '',
    host_key: hostKey || target?.host_key || '',
    files,
    reload_command: target?.reload_command || '',
    keystore_password: '',
    url: target?.url || '',
  };
}

/** The request: on a change, absent secrets keep the stored ones. */
function bodyOf(f: Form, changing: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { name: f.name.trim() };
  if (!changing) body.type = f.type;
  if (f.type === 'webhook') {
    body.url = f.url.trim();
    return body;
  }
  if (f.type === 'ssh') {
    body.host = f.host.trim();
    const port = Number(f.port);
    body.port = Number.isInteger(port) && f.port.trim() !== '' ? port : f.port;
    body.username = f.username.trim();
    body.host_key = f.host_key.trim();
    if (f.auth === 'private_key') {
      if (f.private_key.trim()) {
        body.private_key = f.private_key.trim() + '\n';
        if (f.private_key_passphrase) body.private_key_passphrase = f.private_key_passphrase;
      }
    } else if (f.password) {
      body.password = f.password;
    }
  }
  const files: TargetFiles = {};
  for (const k of FILES) if (f.files[k].trim()) files[k] = f.files[k].trim();
  body.files = files;
  body.reload_command = f.reload_command.trim();
  if (f.keystore_password) body.keystore_password = f.keystore_password;
  return body;
}

export function TargetDialog(props: {
  target?: DeploymentTarget;
  hostKey?: string;
  onClose: () => void;
  onSaved: (target: DeploymentTarget, created: boolean) => void;
}) {
  const changing = !!props.target;
  const [f, setF] = useState<Form>(() => formOf(props.target, props.hostKey));
  const [keyFileError, setKeyFileError] = useState('');
  const action = useAction();
  const set = (change: Partial<Form>) => setF((old) => ({ ...old, ...change }));
  const setFile = (k: FileKind, v: string) => setF((old) => ({ ...old, files: { ...old.files, [k]: v } }));
  const keystore = !!(f.files.pfx.trim() || f.files.jks.trim());

  const submit = async (e: Event) => {
    e.preventDefault();
    const body = bodyOf(f, changing);
    const saved = await action.run(() =>
      changing
        ? patch<DeploymentTarget>('/deployment-targets/' + props.target!.id, body)
        : post<DeploymentTarget>('/deployment-targets', body),
    );
    if (saved) props.onSaved(saved, !changing);
  };
  const readKeyFile = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    setKeyFileError('');
    if (!file) return;
    if (file.size > 16384) {
      setKeyFileError(t('targets.key_file_too_large'));
      return;
    }
    set({ private_key: await file.text() });
  };

  const input = (
    id: string,
    label: string,
    value: string,
    onInput: (v: string) => void,
    opts: { hint?: string; hintCode?: string; type?: string; placeholder?: string; autocomplete?: string; autofocus?: boolean } = {},
  ) => (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type={(opts.type || 'text') as any}
        value={value}
        placeholder={opts.placeholder}
        autocomplete={opts.autocomplete || 'off'}
        autofocus={opts.autofocus}
        spellcheck={false}
        aria-describedby={opts.hint ? id + '-hint' : undefined}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
      />
      {opts.hint && (
        <small class="hint" id={id + '-hint'}>
          {opts.hint}
          {opts.hintCode && (
            <>
              {' '}
              <code>{opts.hintCode}</code>
            </>
          )}
        </small>
      )}
    </div>
  );
  const fileInput = (k: FileKind) =>
    input('target-file-' + k, t(('target_file.' + k) as Key), f.files[k], (v) => setFile(k, v), {
      placeholder: FILE_EXAMPLES[k],
    });
  const storedKey = changing && props.target?.auth === 'private_key';
  const storedPassword = changing && props.target?.auth === 'password';

  return (
    <Dialog
      title={changing ? t('targets.edit_title', { name: props.target!.name }) : t('targets.add_title')}
      onClose={props.onClose}
    >
      <form onSubmit={submit} id="target-form" data-type={f.type}>
        {!changing && (
          <fieldset class="target-kinds">
            <legend>{t('targets.kind')}</legend>
            {KINDS.map((k) => (
              <div class="check role-option" key={k}>
                <input
                  type="radio"
                  id={'target-kind-' + k}
                  name="target-kind"
                  checked={f.type === k}
                  onChange={() => set({ type: k })}
                />
                <label for={'target-kind-' + k}>
                  {t(('target_type.' + k) as Key)}
                  <small class="hint">{t(('target_kind_hint.' + k) as Key)}</small>
                </label>
              </div>
            ))}
          </fieldset>
        )}
        {input('target-name', t('targets.name'), f.name, (v) => set({ name: v }), {
          hint: t('targets.name_hint'),
        })}

        {f.type === 'webhook' && input('target-url', t('targets.url'), f.url, (v) => set({ url: v }), { type: 'url', placeholder: 'https://deploy.example.com/signet', hint: t('targets.url_hint') })}

        {f.type === 'ssh' && (
          <fieldset>
            <legend>{t('targets.ssh_server')}</legend>
            <div class="grid-host">
              {input('target-host', t('targets.host'), f.host, (v) => set({ host: v }), { placeholder: 'web1.example.com' })}
              {input('target-port', t('targets.port'), f.port, (v) => set({ port: v }), { type: 'number' })}
            </div>
            {input('target-username', t('targets.username'), f.username, (v) => set({ username: v }), { placeholder: 'deploy', hint: t('targets.username_hint') })}
            <div class="field" role="radiogroup" aria-labelledby="target-auth-label">
              <span class="label" id="target-auth-label">
                {t('targets.auth')}
              </span>
              <div class="row wrap">
                {(['private_key', 'password'] as const).map((a) => (
                  <span class="check" key={a}>
                    <input type="radio" id={'target-auth-' + a} name="target-auth" checked={f.auth === a} onChange={() => set({ auth: a })} />
                    <label for={'target-auth-' + a}>{t(a === 'private_key' ? 'targets.auth_key_choice' : 'targets.auth_password_choice')}</label>
                  </span>
                ))}
              </div>
            </div>
            {f.auth === 'private_key' ? (
              <>
                <div class="field">
                  <label for="target-private-key">{t('targets.private_key')}</label>
                  <textarea
                    id="target-private-key"
                    rows={5}
                    spellcheck={false}
                    autocomplete="off"
                    placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
                    aria-describedby="target-private-key-hint"
                    value={f.private_key}
                    onInput={(e) => set({ private_key: (e.target as HTMLTextAreaElement).value })}
                  />
                  <small class="hint" id="target-private-key-hint">
                    {storedKey ? t('targets.keep_key') : t('targets.private_key_hint')}
                  </small>
                </div>
                <div class="field">
                  <label for="target-key-file">{t('targets.key_file')}</label>
                  <input id="target-key-file" type="file" onChange={readKeyFile} />
                  {keyFileError && (
                    <small class="field-error" role="alert">
                      {keyFileError}
                    </small>
                  )}
                </div>
                {input('target-passphrase', t('targets.passphrase'), f.private_key_passphrase, (v) => set({ private_key_passphrase: v }), {
                  type: 'password',
                  hint: t('targets.passphrase_hint'),
                  autocomplete: 'new-password',
                })}
              </>
            ) : (
              input('target-password', t('targets.password'), f.password, (v) => set({ password: v }), {
                type: 'password',
                autocomplete: 'new-password',
                hint: storedPassword ? t('targets.keep_password') : t('targets.password_hint'),
              })
            )}
            {props.hostKey && (
              <p class="notice" id="target-pin-notice">
                {t('targets.pin_notice')}
              </p>
            )}
            {input('target-host-key', t('targets.host_key'), f.host_key, (v) => set({ host_key: v }), {
              placeholder: 'SHA256:…',
              hint: t('targets.host_key_hint'),
              hintCode: 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
              autofocus: !!props.hostKey,
            })}
          </fieldset>
        )}

        {f.type !== 'webhook' && (
          <>
            <fieldset>
              <legend>{f.type === 'local' ? t('targets.files_local') : t('targets.files_remote')}</legend>
              <p class="hint">{t('targets.files_hint')}</p>
              {MAIN_FILES.map(fileInput)}
              <details class="more-files" open={MORE_FILES.some((k) => f.files[k]) || undefined}>
                <summary>{t('targets.more_files')}</summary>
                {MORE_FILES.map(fileInput)}
                {keystore &&
                  input('target-keystore-password', t('targets.keystore_password'), f.keystore_password, (v) => set({ keystore_password: v }), {
                    type: 'password',
                    autocomplete: 'new-password',
                    hint: changing && props.target?.has_keystore_password ? t('targets.keep_keystore_password') : t('targets.keystore_password_hint'),
                  })}
              </details>
            </fieldset>
            <div class="field">
              <label for="target-reload">{t('targets.reload')}</label>
              <input
                id="target-reload"
                value={f.reload_command}
                spellcheck={false}
                autocomplete="off"
                placeholder="nginx -t && systemctl reload nginx"
                aria-describedby="target-reload-hint"
                onInput={(e) => set({ reload_command: (e.target as HTMLInputElement).value })}
              />
              <small class="hint" id="target-reload-hint">
                {t('targets.reload_hint')} <code>nginx -t && systemctl reload nginx</code>
              </small>
            </div>
          </>
        )}
        <ErrorBox error={action.error} />
        <div class="actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button type="submit" disabled={action.busy || !f.name.trim()}>
            {changing ? t('action.save') : t('targets.add_submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
