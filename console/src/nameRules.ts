// The name rules of PRODUCT.md, checked while the applicant types so most mistakes are caught
// before the server is asked. The server checks again (and knows the Public Suffix List); its
// problem document is shown when it refuses something these rules let through.
import type { Key } from './i18n';
import type { Product } from './types';

export interface NameProblem {
  index: number;
  key: Key;
}

/** Lower-cased, trailing dot removed, IDN converted to A-labels (punycode). */
export function normalizeName(input: string): string {
  let s = input.trim().toLowerCase().replace(/\.$/, '');
  if (/[^\x00-\x7f]/.test(s)) {
    const wildcard = s.startsWith('*.');
    try {
      s = (wildcard ? '*.' : '') + new URL('http://' + (wildcard ? s.slice(2) : s)).hostname;
    } catch {
      // left as typed: the character check below reports it
    }
  }
  return s;
}

function nameProblem(name: string, product: Product | undefined): Key | null {
  if (!name) return 'names.empty';
  if (name.length > 253) return 'names.too_long';
  if (/^[0-9.]+$/.test(name) || name.includes(':')) return 'names.ip';
  const labels = name.split('.');
  const stars = labels.filter((l) => l.includes('*')).length;
  if (stars > 1 || (stars === 1 && labels[0] !== '*')) return 'names.invalid_wildcard';
  if (labels.length < 2 || (labels[0] === '*' && labels.length < 3)) return 'names.not_public';
  for (const l of labels.slice(labels[0] === '*' ? 1 : 0)) {
    if (!l) return 'names.empty_label';
    if (l.length > 63) return 'names.label_too_long';
    if (!/^[a-z0-9_-]+$/.test(l)) return 'names.bad_characters';
    if (l.startsWith('-') || l.endsWith('-')) return 'names.hyphen';
  }
  if (labels[0] === '*' && product && product.coverage !== 'wildcard' && product.coverage !== 'mixed') {
    return 'names.no_wildcard_product';
  }
  return null;
}

/** Problems per row, and problems of the list as a whole (index -1). */
export function checkNames(names: string[], product: Product | undefined, max: number): NameProblem[] {
  const out: NameProblem[] = [];
  const seen = new Map<string, number>();
  names.forEach((raw, i) => {
    const n = normalizeName(raw);
    const p = nameProblem(n, product);
    if (p) out.push({ index: i, key: p });
    else if (seen.has(n)) out.push({ index: i, key: 'names.duplicate' });
    seen.set(n, i);
  });
  const wild = names.map(normalizeName).filter((n) => n.startsWith('*.')).length;
  if (names.length > 1 && wild > 0 && wild < names.length && normalizeName(names[0]).startsWith('*.')) {
    out.push({ index: 0, key: 'names.wildcard_first' });
  }
  if (names.length > max) out.push({ index: -1, key: 'names.allowance' });
  return out;
}
