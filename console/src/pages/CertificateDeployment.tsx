// The certificate page's Deployment section (issue 16): where the certificate is installed (its
// lineage's bindings, each with the endpoint checked afterwards, the last run and the serial the
// server was seen serving), deploying it to a target (a binding: deployed now, and every renewed
// or reissued certificate of the lineage later, by itself), deploying again, removing a binding
// (the files stay), and the runs, newest first. A binding deploys the lineage's newest
// certificate, so the runs are those of the certificate and of its bindings. While a run is
// pending or running the section reads them again every 2 s.
import { useEffect, useState } from 'preact/hooks';
import { all, del, get, post, type ApiError, type Page } from '../api';
import { useAction, useLoad } from '../hooks';
import { formatDate, t, tMaybe } from '../i18n';
import type { Binding, Certificate, Deployment, DeploymentTarget, VerifyProtocol } from '../types';
import { Badge, Empty, Link, Loading } from '../components/bits';
import { Dialog } from '../components/Dialog';
import { ErrorBox } from '../components/ErrorBox';
import { targetTypeName } from './DeploymentTargets';

const POLL_MS = 2000;
const RUNS = 20;
const PROTOCOLS: VerifyProtocol[] = ['https', 'tls', 'smtp', 'imap', 'pop3'];
/** The port the server assumes for each protocol (STARTTLS for mail). */
const DEFAULT_PORT: Record<VerifyProtocol, number> = { https: 443, tls: 443, smtp: 25, imap: 143, pop3: 110 };

interface State {
  bindings: Binding[];
  runs: Deployment[];
}

const enc = encodeURIComponent;

async function load(certId: string): Promise<State> {
  const bindings = await all<Binding>('/certificates/' + enc(certId) + '/bindings');
  const pages = await Promise.all([
    get<Page<Deployment>>('/deployments?certificate_id=' + enc(certId) + '&page_size=' + RUNS),
    ...bindings.map((b) => get<Page<Deployment>>('/deployments?binding_id=' + enc(b.id) + '&page_size=' + RUNS)),
  ]);
  const byId = new Map<string, Deployment>();
  for (const page of pages) for (const d of page.items) byId.set(d.id, d);
  const runs = [...byId.values()].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || (b.id < a.id ? -1 : 1));
  return { bindings, runs: runs.slice(0, RUNS) };
}

const unfinished = (d: Deployment | null | undefined) => !!d && (d.status === 'pending' || d.status === 'running');

/** A serial as the server compares them: lower case, no leading zeros. */
const sameSerial = (a: string, b: string) => a.toLowerCase().replace(/^0+/, '') === b.toLowerCase().replace(/^0+/, '');

export function CertificateDeployment({ cert }: { cert: Certificate }) {
  const state = useLoad(() => load(cert.id), [cert.id]);
  const targets = useLoad(() => all<DeploymentTarget>('/deployment-targets'));
  const [notice, setNotice] = useState('');
  const [removing, setRemoving] = useState<Binding | null>(null);
  const action = useAction();
  const s = state.data;
  const busy = !!s && (s.runs.some(unfinished) || s.bindings.some((b) => unfinished(b.last_deployment)));

  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => {
      load(cert.id).then(state.set, () => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [busy, cert.id]);

  const targetName = (id: string) =>
    s?.bindings.find((b) => b.target_id === id)?.target_name || targets.data?.find((x) => x.id === id)?.name || id;

  const deployAgain = async (b: Binding) => {
    setNotice('');
    const d = await action.run(() => post<Deployment>('/certificates/' + enc(cert.id) + '/bindings/' + enc(b.id) + '/deploy'));
    if (d) {
      setNotice(t('deploy.started', { target: b.target_name }));
      await state.reload();
    }
  };

  return (
    <section class="card" id="deployment" aria-labelledby="deployment-title">
      <h2 id="deployment-title">{t('deploy.title')}</h2>
      <ErrorBox error={state.error} />
      {notice && (
        <div class="success" role="status" id="deployment-notice">
          {notice}
        </div>
      )}
      <ErrorBox error={action.error} />

      <h3>{t('deploy.where')}</h3>
      {!s ? (
        !state.error && <Loading />
      ) : s.bindings.length ? (
        <div class="table-wrap">
          <table id="binding-table" class="stack">
            <caption class="sr-only">{t('deploy.where')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('deploy.target')}</th>
                <th scope="col">{t('deploy.checked_at')}</th>
                <th scope="col">{t('deploy.last_run')}</th>
                <th scope="col">{t('deploy.served_serial')}</th>
                <th scope="col">
                  <span class="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {s.bindings.map((b) => {
                const last = b.last_deployment;
                return (
                  <tr key={b.id} data-id={b.id} data-target={b.target_name}>
                    <th scope="row">{b.target_name || b.target_id}</th>
                    <td data-label={t('deploy.checked_at')}>
                      <Endpoint b={b} />
                    </td>
                    <td data-label={t('deploy.last_run')} class="last-run">
                      {last ? (
                        <>
                          <Badge kind="deploy_status" value={last.status} />{' '}
                          <time class="muted" dateTime={last.finished_at || last.started_at || last.created_at}>
                            {formatDate(last.finished_at || last.started_at || last.created_at)}
                          </time>
                        </>
                      ) : (
                        <span class="muted">{t('deploy.never')}</span>
                      )}
                    </td>
                    <td data-label={t('deploy.served_serial')} class="served">
                      {last?.served_serial ? (
                        <>
                          <code class="serial">{last.served_serial}</code>
                          {!sameSerial(last.served_serial, last.serial) && <small class="hint">{t('deploy.served_other')}</small>}
                        </>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                    <td class="row-actions">
                      <div class="row-buttons">
                        <button
                          type="button"
                          class="secondary small"
                          aria-label={t('deploy.again_named', { target: b.target_name })}
                          disabled={action.busy}
                          onClick={() => deployAgain(b)}
                        >
                          {t('deploy.again')}
                        </button>
                        <button
                          type="button"
                          class="danger secondary small"
                          aria-label={t('deploy.remove_named', { target: b.target_name })}
                          onClick={() => {
                            setNotice('');
                            setRemoving(b);
                          }}
                        >
                          {t('deploy.remove')}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{t('deploy.nowhere')}</Empty>
      )}

      <h3>{t('deploy.to_target')}</h3>
      <DeployForm
        cert={cert}
        targets={targets.data}
        error={targets.error}
        onDeployed={(b) => {
          setNotice(t('deploy.started', { target: b.target_name }));
          void state.reload();
        }}
      />

      <h3>{t('deploy.runs')}</h3>
      {s &&
        (s.runs.length ? (
          <ol class="deploy-runs" id="deployment-runs">
            {s.runs.map((d) => (
              <Run key={d.id} d={d} cert={cert} target={targetName(d.target_id)} />
            ))}
          </ol>
        ) : (
          <Empty>{t('deploy.no_runs')}</Empty>
        ))}
      {removing && (
        <RemoveBindingDialog
          cert={cert}
          binding={removing}
          onClose={() => setRemoving(null)}
          onDone={() => {
            setNotice(t('deploy.removed', { target: removing.target_name }));
            setRemoving(null);
            void state.reload();
          }}
        />
      )}
    </section>
  );
}

function Endpoint({ b }: { b: Binding }) {
  const v = b.verify;
  if (!v || !v.host) return <span class="muted">{t('deploy.not_checked')}</span>;
  return (
    <>
      <code class="endpoint">
        {v.host}:{v.port}
      </code>{' '}
      <span class="muted">
        {tMaybe('protocol.' + v.protocol, v.protocol)}
        {v.server_name && (
          <>
            {' · '}
            {t('deploy.sni')} <code>{v.server_name}</code>
          </>
        )}
      </span>
    </>
  );
}

/** One run: its status, what started it, which certificate, when, and what went wrong. */
function Run({ d, cert, target }: { d: Deployment; cert: Certificate; target: string }) {
  const other = d.certificate_id !== cert.id;
  return (
    <li data-status={d.status} data-trigger={d.trigger} data-id={d.id}>
      <div class="run-head">
        <Badge kind="deploy_status" value={d.status} /> <strong>{target}</strong>
        <span class="muted"> · {tMaybe('deploy_trigger.' + d.trigger, d.trigger)}</span>
      </div>
      <div class="run-facts">
        <span>
          {t('cert.serial')}{' '}
          {other ? (
            <Link href={'/certificates/' + d.certificate_id} title={t('deploy.other_certificate')}>
              <code class="serial">{d.serial}</code>
            </Link>
          ) : (
            <code class="serial">{d.serial}</code>
          )}
        </span>
        {d.served_serial && (
          <span>
            {t('deploy.served_serial')} <code class="serial served-serial">{d.served_serial}</code>
          </span>
        )}
        {d.attempts > 1 && <span>{t('deploy.attempts', { n: d.attempts })}</span>}
      </div>
      <div class="run-times muted">
        <span>
          {t('deploy.queued')} <time dateTime={d.created_at}>{formatDate(d.created_at)}</time>
        </span>
        {d.started_at && (
          <span>
            {t('deploy.started_at')} <time dateTime={d.started_at}>{formatDate(d.started_at)}</time>
          </span>
        )}
        {d.finished_at && (
          <span>
            {t('deploy.finished_at')} <time dateTime={d.finished_at}>{formatDate(d.finished_at)}</time>
          </span>
        )}
      </div>
      {d.error && (
        <p class={'run-error' + (d.status === 'failed' || d.status === 'rolled_back' ? ' failed' : '')}>
          {t(d.status === 'rolled_back' ? 'deploy.error_rolled_back' : unfinished(d) ? 'deploy.error_retrying' : 'deploy.error')}{' '}
          <code class="server-words">{d.error}</code>
        </p>
      )}
    </li>
  );
}

function DeployForm(props: {
  cert: Certificate;
  targets: DeploymentTarget[] | undefined;
  error: ApiError | undefined;
  onDeployed: (b: Binding) => void;
}) {
  const first = props.cert.names[0] || '';
  const name = first.startsWith('*.') ? '' : first;
  const [targetId, setTargetId] = useState('');
  const [check, setCheck] = useState(true);
  const [host, setHost] = useState(name);
  const [port, setPort] = useState('443');
  const [serverName, setServerName] = useState(name);
  const [protocol, setProtocol] = useState<VerifyProtocol>('https');
  const action = useAction();
  const usable = (props.targets || []).filter((x) => x.type !== 'agent');
  const chosen = targetId || usable[0]?.id || '';
  if (props.error) return <ErrorBox error={props.error} />;
  if (!props.targets) return <Loading />;
  if (!usable.length) {
    return (
      <p class="empty" id="deploy-no-targets">
        {t('deploy.no_targets')} <Link href="/deployment-targets">{t('deploy.add_target')}</Link>
      </p>
    );
  }
  const changeProtocol = (p: VerifyProtocol) => {
    // The port follows the protocol unless it was changed by hand.
    if (port === String(DEFAULT_PORT[protocol])) setPort(String(DEFAULT_PORT[p]));
    setProtocol(p);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { target_id: chosen };
    if (check) {
      const n = Number(port);
      body.verify = {
        host: host.trim(),
        port: Number.isInteger(n) && port.trim() !== '' ? n : port,
        server_name: serverName.trim(),
        protocol,
      };
    }
    const b = await action.run(() => post<Binding>('/certificates/' + enc(props.cert.id) + '/bindings', body));
    if (b) props.onDeployed(b);
  };
  return (
    <form onSubmit={submit} id="deploy-form">
      <div class="field">
        <label for="deploy-target">{t('deploy.target')}</label>
        <select id="deploy-target" value={chosen} onChange={(e) => setTargetId((e.target as HTMLSelectElement).value)}>
          {usable.map((x) => (
            <option key={x.id} value={x.id}>
              {t('deploy.target_option', { name: x.name, type: targetTypeName(x.type) })}
            </option>
          ))}
        </select>
        <small class="hint">{t('deploy.target_hint')}</small>
      </div>
      <div class="check">
        <input id="deploy-check" type="checkbox" checked={check} onChange={(e) => setCheck((e.target as HTMLInputElement).checked)} />
        <label for="deploy-check">{t('deploy.check')}</label>
      </div>
      {check && (
        <fieldset class="verify">
          <legend>{t('deploy.verify')}</legend>
          <p class="hint">{t('deploy.verify_hint')}</p>
          <div class="verify-grid">
            <div class="field">
              <label for="deploy-host">{t('deploy.host')}</label>
              <input id="deploy-host" value={host} spellcheck={false} placeholder="www.example.com" onInput={(e) => setHost((e.target as HTMLInputElement).value)} />
            </div>
            <div class="field">
              <label for="deploy-port">{t('deploy.port')}</label>
              <input id="deploy-port" type="number" min={1} max={65535} value={port} onInput={(e) => setPort((e.target as HTMLInputElement).value)} />
            </div>
            <div class="field">
              <label for="deploy-server-name">{t('deploy.server_name')}</label>
              <input id="deploy-server-name" value={serverName} spellcheck={false} onInput={(e) => setServerName((e.target as HTMLInputElement).value)} />
            </div>
            <div class="field">
              <label for="deploy-protocol">{t('deploy.protocol')}</label>
              <select id="deploy-protocol" value={protocol} onChange={(e) => changeProtocol((e.target as HTMLSelectElement).value as VerifyProtocol)}>
                {PROTOCOLS.map((p) => (
                  <option key={p} value={p}>
                    {t(('protocol.' + p) as any)}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </fieldset>
      )}
      <ErrorBox error={action.error} />
      <button type="submit" id="deploy-submit" disabled={action.busy || !chosen}>
        {t('deploy.submit')}
      </button>
    </form>
  );
}

function RemoveBindingDialog(props: { cert: Certificate; binding: Binding; onClose: () => void; onDone: () => void }) {
  const action = useAction();
  const remove = async () => {
    const ok = await action.run(async () => {
      await del('/certificates/' + enc(props.cert.id) + '/bindings/' + enc(props.binding.id));
      return true;
    });
    if (ok) props.onDone();
  };
  return (
    <Dialog title={t('deploy.remove_title', { target: props.binding.target_name })} onClose={props.onClose}>
      <p>{t('deploy.remove_text')}</p>
      <ErrorBox error={action.error} />
      <div class="actions">
        <button type="button" class="secondary" autofocus onClick={props.onClose}>
          {t('action.keep')}
        </button>
        <button type="button" class="danger" disabled={action.busy} onClick={remove}>
          {t('deploy.remove')}
        </button>
      </div>
    </Dialog>
  );
}
