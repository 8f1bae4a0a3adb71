// Small shared pieces: links through the router, copy buttons, status badges, empty states.
import { Fragment, type ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { navigate } from '../router';
import { t, tMaybe } from '../i18n';

export function Link(props: {
  href: string;
  children: ComponentChildren;
  class?: string;
  id?: string;
  title?: string;
  current?: boolean;
}) {
  return (
    <a
      href={props.href}
      class={props.class}
      id={props.id}
      title={props.title}
      aria-current={props.current ? 'page' : undefined}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

export function CopyButton(props: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="small"
      aria-label={t('action.copy_what', { what: props.label })}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(props.text);
        } catch {
          // Clipboard refused (no permission): select-and-copy by hand still works.
          const area = document.createElement('textarea');
          area.value = props.text;
          document.body.appendChild(area);
          area.select();
          document.execCommand('copy');
          area.remove();
        }
        setDone(true);
        setTimeout(() => setDone(false), 1500);
      }}
    >
      {done ? t('action.copied') : t('action.copy')}
    </button>
  );
}

export function Badge({ kind, value }: { kind: string; value: string }) {
  return (
    <span class={'badge badge-' + value.toLowerCase().replace(/_/g, '-')} data-status={value}>
      {tMaybe(kind + '.' + value, value)}
    </span>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function Loading() {
  return (
    <p class="loading" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

/** A translated sentence whose {placeholders} are elements (a bold name, a link): the word order
 * stays the translation's. */
export function Rich({ text, vars }: { text: string; vars: Record<string, ComponentChildren> }) {
  return (
    <>
      {text.split(/(\{\w+\})/).map((part, i) => {
        const name = /^\{(\w+)\}$/.exec(part)?.[1];
        return <Fragment key={i}>{name && name in vars ? vars[name] : part}</Fragment>;
      })}
    </>
  );
}
