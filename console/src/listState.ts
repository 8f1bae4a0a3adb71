// The state of a list page (search, filters, sort, page) lives in the page's URL, so a reload,
// a shared link or Back after opening an item shows the same list. Changes replace the current
// history entry: Back leaves the list instead of stepping through each keystroke.
import { useEffect, useRef, useState } from 'preact/hooks';
import { navigate, usePath } from './router';

export function useListQuery(keys: readonly string[]) {
  const path = usePath();
  const params = new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?')) : '');
  const values: Record<string, string> = {};
  for (const k of keys) values[k] = params.get(k) || '';
  const set = (changes: Record<string, string>, resetPage = true) => {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries({ ...(resetPage ? { page: '' } : {}), ...changes })) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    const qs = next.toString();
    navigate(location.pathname + (qs ? '?' + qs : ''), true);
  };
  return { values, set };
}

/** A text box bound to a URL value: typed freely, written to the URL after a pause or on Enter. */
export function useDebouncedField(value: string, commit: (v: string) => void, ms = 350) {
  const [text, setText] = useState(value);
  const timer = useRef<number | undefined>(undefined);
  // The URL changed from elsewhere (Back, a cleared filter): follow it.
  useEffect(() => {
    if (timer.current === undefined) setText(value);
  }, [value]);
  const onInput = (v: string) => {
    setText(v);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => {
      timer.current = undefined;
      commit(v.trim());
    }, ms);
  };
  const flush = () => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    commit(text.trim());
  };
  return { text, onInput, flush };
}

/** Query string of the non-empty values. */
export function query(values: Record<string, string>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) q.set(k, v);
  return q.toString();
}
