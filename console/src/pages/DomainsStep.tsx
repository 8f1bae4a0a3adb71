// Step 1 of the wizard: the domains, one per row, each checked against the name rules as it is
// typed. The first row is the common name.
import { checkNames, normalizeName } from '../nameRules';
import { t } from '../i18n';
import type { Product } from '../types';

export function DomainsStep(props: {
  names: string[];
  onChange: (names: string[]) => void;
  product?: Product;
  max: number;
  locked: boolean;
  /** A refusal from the server about one row (id domain-N). */
  serverError?: { id: string; text: string };
}) {
  const { names, onChange, product, max, locked } = props;
  const problems = checkNames(names, product, max);
  const rowProblem = (i: number) => problems.find((p) => p.index === i);
  const listProblem = problems.find((p) => p.index === -1);
  return (
    <fieldset>
      <legend>{t('wizard.domains')}</legend>
      <p class="hint">{t('wizard.domains_hint', { max })}</p>
      {names.map((n, i) => {
        const id = 'domain-' + i;
        const p = rowProblem(i);
        const server = !p && props.serverError?.id === id ? props.serverError.text : '';
        const normal = normalizeName(n);
        return (
          <div class={'field domain-row' + (p || server ? ' invalid' : '')} key={i}>
            <label for={id}>{i === 0 ? t('wizard.common_name') : t('wizard.more_domain', { n: i + 1 })}</label>
            <div class="row">
              <input
                id={id}
                value={n}
                disabled={locked}
                aria-invalid={p || server ? 'true' : undefined}
                aria-describedby={p || server ? id + '-error' : undefined}
                placeholder="www.example.com"
                onInput={(e) => onChange(names.map((x, j) => (j === i ? (e.target as HTMLInputElement).value : x)))}
              />
              {!locked && names.length > 1 && (
                <button
                  type="button"
                  class="secondary small"
                  aria-label={t('wizard.remove_domain', { name: n || String(i + 1) })}
                  onClick={() => onChange(names.filter((_, j) => j !== i))}
                >
                  {t('action.remove')}
                </button>
              )}
            </div>
            {p && n.trim() !== '' && (
              <small class="field-error" id={id + '-error'} role="alert">
                {t(p.key)}
              </small>
            )}
            {server && (
              <small class="field-error" id={id + '-error'} role="alert">
                {server}
              </small>
            )}
            {!p && normal && normal !== n.trim() && <small class="hint">{t('wizard.will_be', { name: normal })}</small>}
          </div>
        );
      })}
      {listProblem && (
        <p class="field-error" role="alert">
          {t(listProblem.key, { max })}
        </p>
      )}
      {!locked && names.length < max && (
        <button type="button" class="secondary" onClick={() => onChange([...names, ''])}>
          {t('wizard.add_domain')}
        </button>
      )}
    </fieldset>
  );
}
