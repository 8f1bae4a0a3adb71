// Step 2 of the wizard: Signet generates the key (kept sealed, optionally password-protected in
// downloads) or the applicant pastes a CSR (then Signet never holds a private key). The reissue
// dialog offers the same choice (with its own ids: `prefix`).
import type { ComponentChildren } from 'preact';
import { t } from '../i18n';
import type { KeyChoice } from '../types';

export interface KeyState {
  mode: 'generate' | 'csr';
  algorithm: string;
  password: string;
  csr: string;
}

export const ALGORITHMS = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'];

export const defaultKey = (): KeyState => ({ mode: 'generate', algorithm: 'ecdsa-p256', password: '', csr: '' });

/** The "key" object of an application (PUT /orders/{id}/application) or a reissue. */
export function keyBody(key: KeyState): KeyChoice {
  return key.mode === 'csr'
    ? { csr: key.csr }
    : { generate: { algorithm: key.algorithm, ...(key.password ? { password: key.password } : {}) } };
}

/** What is wrong with the key choice before anything is sent (the server checks it again). */
export function keyProblem(key: KeyState): string {
  if (key.mode === 'generate' && key.password !== '' && key.password.length < 8) return t('wizard.key_password_hint');
  if (key.mode === 'csr' && !key.csr.includes('BEGIN CERTIFICATE REQUEST')) return t('wizard.csr_missing');
  return '';
}

export function KeyStep(props: {
  state: KeyState;
  onChange: (s: KeyState) => void;
  locked: boolean;
  prefix?: string;
  legend?: string;
  /** A server error about the key (mapped from its field), shown at the field it concerns. */
  error?: { field: 'csr' | 'password' | 'algorithm'; text: string };
  children?: ComponentChildren;
}) {
  const { state, onChange, locked } = props;
  const p = props.prefix || 'key';
  const short = state.password !== '' && state.password.length < 8;
  const err = (f: string) => (props.error?.field === f ? props.error.text : '');
  const described = (f: string, hint: string) => (err(f) ? p + '-' + f + '-error' : hint);
  return (
    <fieldset>
      <legend>{props.legend || t('wizard.key')}</legend>
      {(['generate', 'csr'] as const).map((m) => (
        <div class="check" key={m}>
          <input type="radio" name={p + '-mode'} id={p + '-' + m} checked={state.mode === m} disabled={locked} onChange={() => onChange({ ...state, mode: m })} />
          <label for={p + '-' + m}>{t(m === 'generate' ? 'wizard.key_generate' : 'wizard.key_csr')}</label>
        </div>
      ))}
      {state.mode === 'generate' ? (
        <div class="grid2">
          <div class={'field' + (err('algorithm') ? ' invalid' : '')}>
            <label for={p + '-algorithm'}>{t('wizard.algorithm')}</label>
            <select id={p + '-algorithm'} value={state.algorithm} disabled={locked} onChange={(e) => onChange({ ...state, algorithm: (e.target as HTMLSelectElement).value })}>
              {ALGORITHMS.map((a) => (
                <option value={a} key={a}>
                  {a.toUpperCase().replace('-', ' ')}
                </option>
              ))}
            </select>
            {err('algorithm') && (
              <small class="field-error" id={p + '-algorithm-error'} role="alert">
                {err('algorithm')}
              </small>
            )}
          </div>
          <div class={'field' + (short || err('password') ? ' invalid' : '')}>
            <label for={p + '-password'}>{t('wizard.key_password')}</label>
            <input
              id={p + '-password'}
              type="password"
              autocomplete="new-password"
              value={state.password}
              disabled={locked}
              aria-invalid={short || err('password') ? 'true' : undefined}
              aria-describedby={described('password', p + '-password-hint')}
              onInput={(e) => onChange({ ...state, password: (e.target as HTMLInputElement).value })}
            />
            <small class={short ? 'field-error' : 'hint'} id={p + '-password-hint'}>
              {t('wizard.key_password_hint')}
            </small>
            {err('password') && (
              <small class="field-error" id={p + '-password-error'} role="alert">
                {err('password')}
              </small>
            )}
          </div>
        </div>
      ) : (
        <div class={'field' + (err('csr') ? ' invalid' : '')}>
          <label for={p + '-csr'}>{t('wizard.csr')}</label>
          <textarea
            id={p + '-csr'}
            rows={8}
            spellcheck={false}
            value={state.csr}
            disabled={locked}
            aria-invalid={err('csr') ? 'true' : undefined}
            aria-describedby={described('csr', p + '-csr-hint')}
            placeholder="-----BEGIN CERTIFICATE REQUEST-----"
            onInput={(e) => onChange({ ...state, csr: (e.target as HTMLTextAreaElement).value })}
          />
          <small class="hint" id={p + '-csr-hint'}>
            {t('wizard.csr_hint')}
          </small>
          {err('csr') && (
            <small class="field-error" id={p + '-csr-error'} role="alert">
              {err('csr')}
            </small>
          )}
        </div>
      )}
      {props.children}
    </fieldset>
  );
}
