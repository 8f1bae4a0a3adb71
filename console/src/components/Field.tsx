// A labelled input (every input in the console has a visible label tied to it by id), with an
// optional hint and a field error announced to screen readers.
import type { ComponentChildren } from 'preact';

let counter = 0;
export function fieldId(prefix: string) {
  return prefix + '-' + ++counter;
}

export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={'field' + (props.error ? ' invalid' : '')}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <small class="hint" id={props.id + '-hint'}>
          {props.hint}
        </small>
      )}
      {props.error && (
        <small class="field-error" id={props.id + '-error'} role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

/** Text input bound to a value. */
export function TextInput(props: {
  id: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  invalid?: boolean;
}) {
  return (
    <input
      id={props.id}
      type={(props.type || 'text') as any}
      value={props.value}
      required={props.required}
      autocomplete={props.autocomplete}
      placeholder={props.placeholder}
      aria-invalid={props.invalid ? 'true' : undefined}
      aria-describedby={props.invalid ? props.id + '-error' : undefined}
      onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
    />
  );
}
