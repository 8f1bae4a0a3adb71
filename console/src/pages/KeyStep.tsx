// Step 2 of the wizard: Signet generates the key (kept sealed, optionally password-protected in
// downloads) or the applicant pastes a CSR (then Signet never holds a private key).
import { t } from '../i18n';

export interface KeyState {
  mode: 'generate' | 'csr';
  algorithm: string;
  password: string;
  csr: string;
}

const ALGORITHMS = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'];

export function KeyStep({ state, onChange, locked }: { state: KeyState; onChange: (s: KeyState) => void; locked: boolean }) {
  const short = state.password !== '' && state.password.length < 8;
  return (
    <fieldset>
      <legend>{t('wizard.key')}</legend>
      {(['generate', 'csr'] as const).map((m) => (
        <div class="check" key={m}>
          <input type="radio" name="key-mode" id={'key-' + m} checked={state.mode === m} disabled={locked} onChange={() => onChange({ ...state, mode: m })} />
          <label for={'key-' + m}>{t(m === 'generate' ? 'wizard.key_generate' : 'wizard.key_csr')}</label>
        </div>
      ))}
      {state.mode === 'generate' ? (
        <div class="grid2">
          <div class="field">
            <label for="key-algorithm">{t('wizard.algorithm')}</label>
            <select id="key-algorithm" value={state.algorithm} disabled={locked} onChange={(e) => onChange({ ...state, algorithm: (e.target as HTMLSelectElement).value })}>
              {ALGORITHMS.map((a) => (
                <option value={a} key={a}>
                  {a.toUpperCase().replace('-', ' ')}
                </option>
              ))}
            </select>
          </div>
          <div class={'field' + (short ? ' invalid' : '')}>
            <label for="key-password">{t('wizard.key_password')}</label>
            <input id="key-password" type="password" autocomplete="new-password" value={state.password} disabled={locked} aria-invalid={short ? 'true' : undefined} onInput={(e) => onChange({ ...state, password: (e.target as HTMLInputElement).value })} />
            <small class={short ? 'field-error' : 'hint'}>{t('wizard.key_password_hint')}</small>
          </div>
        </div>
      ) : (
        <div class="field">
          <label for="key-csr">{t('wizard.csr')}</label>
          <textarea id="key-csr" rows={8} spellcheck={false} value={state.csr} disabled={locked} placeholder="-----BEGIN CERTIFICATE REQUEST-----" onInput={(e) => onChange({ ...state, csr: (e.target as HTMLTextAreaElement).value })} />
          <small class="hint">{t('wizard.csr_hint')}</small>
        </div>
      )}
    </fieldset>
  );
}
