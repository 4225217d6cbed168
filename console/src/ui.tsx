import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useId, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { useApp } from './context.ts';

/** Loads once per change of deps; `reload` refetches. */
export const useLoad = <T,>(load: () => Promise<T>, deps: unknown[]) => {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  // biome-ignore lint/correctness/useExhaustiveDependencies: callers pass the deps that matter
  const run = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => setState({ error, loading: false }),
    );
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run };
};

export const Problem = ({ error }: { error: unknown }) => {
  const { t } = useApp();
  if (!error) return null;
  if (error instanceof ApiError) {
    const title =
      error.status === 403 ? t('error.forbidden') : error.status === 404 ? t('error.notFound') : error.title;
    return (
      <div class="problem" role="alert">
        <strong>{title}</strong>
        {error.detail && error.status !== 403 && <p>{error.detail}</p>}
        {error.errors.length > 0 && (
          <ul>
            {error.errors.map((e) => (
              <li key={e.path}>
                <code>{e.path}</code>: {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div class="problem" role="alert">
      {String((error as Error).message ?? error)}
    </div>
  );
};

export const Loading = () => {
  const { t } = useApp();
  return (
    <p class="muted" aria-live="polite">
      {t('common.loading')}
    </p>
  );
};

/**
 * A labelled control: the label is tied to the control by id, so every field has an accessible name.
 * `error` (a server message about this field) shows under it and is read with it.
 */
export const Field = ({
  label,
  hint,
  error,
  children,
  wide,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  wide?: boolean;
  children: (id: string, describedBy?: string) => ComponentChildren;
}) => {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${wide ? ' wide' : ''}${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children(id, describedBy)}
      {error && (
        <small id={errorId} class="field-error">
          {error}
        </small>
      )}
      {hint && (
        <small id={hintId} class="muted">
          {hint}
        </small>
      )}
    </div>
  );
};

/**
 * A 400's messages by field path, for forms that show each next to its field: `err('name')` gives
 * the message(s) for that path; a trailing `*` also takes the paths under it (`variants.0.message*`).
 */
export const fieldErrors = (error: unknown) => {
  const errors = error instanceof ApiError && error.status === 400 ? error.errors : [];
  return (...paths: string[]): string | undefined => {
    const matches = (path: string) =>
      paths.some((p) =>
        p.endsWith('*') ? path === p.slice(0, -1) || path.startsWith(`${p.slice(0, -1)}.`) : path === p,
      );
    const found = errors.filter((e) => matches(e.path)).map((e) => e.message);
    return found.length ? found.join('; ') : undefined;
  };
};

export const Badge = ({ value, text }: { value: string; text: string }) => (
  <span class={`badge badge-${value}`}>{text}</span>
);

export const PageHeader = ({ title, children }: { title: string; children?: ComponentChildren }) => (
  <div class="page-header">
    <h1>{title}</h1>
    {children && <div class="actions">{children}</div>}
  </div>
);

/** Tables turn into labelled cards on a phone (see styles.css); each cell carries its column name. */
export const Cell = ({ label, children }: { label: string; children?: ComponentChildren }) => (
  <td data-label={label}>
    {/* One wrapper, so on a phone the cell is two grid items: its label and its content. */}
    <span>{children}</span>
  </td>
);
