import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { formatNumber } from '../format.ts';
import { Cell, Field, PageHeader, Problem } from '../ui.tsx';

interface ImportJob {
  id: string;
  kind: 'customers' | 'purchases';
  status: 'awaiting-upload' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: { row: number; field?: string; message: string }[];
}

const counts = ['created', 'updated', 'unchanged', 'failed'] as const;
const POLL_MS = 1000;

/** Polls an import until it is done or failed. */
const useImport = (id: string | undefined) => {
  const { api } = useApp();
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!id) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await api<ImportJob>('GET', `/imports/${id}`);
        if (stopped) return;
        setJob(next);
        if (next.status !== 'done' && next.status !== 'failed') timer = setTimeout(poll, POLL_MS);
      } catch (e) {
        if (!stopped) setError(e);
      }
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id, api]);
  return { job, error };
};

/** Admin: start an import, upload the CSV to the address the API hands out, then watch it run. */
export const Imports = () => {
  const { api, t, lang } = useApp();
  const [kind, setKind] = useState<ImportJob['kind']>('customers');
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [id, setId] = useState<string>();
  const { job, error: pollError } = useImport(id);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return;
    setError(undefined);
    setId(undefined);
    setBusy(true);
    try {
      const started = await api<{ id: string; uploadUrl: string }>('POST', '/imports', {
        body: { kind, format: 'csv' },
      });
      const upload = await fetch(started.uploadUrl, {
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        body: file,
      });
      if (!upload.ok) throw new Error(t('imports.uploadFailed', { status: upload.status }));
      setId(started.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('imports.title')} />
      <form class="card form" onSubmit={submit} aria-label={t('imports.form')}>
        <p class="muted">{t('imports.hint')}</p>
        <Field label={t('imports.kind')}>
          {(fid) => (
            <select
              id={fid}
              value={kind}
              onChange={(e) => setKind((e.target as HTMLSelectElement).value as ImportJob['kind'])}
            >
              <option value="customers">{t('imports.kind.customers')}</option>
              <option value="purchases">{t('imports.kind.purchases')}</option>
            </select>
          )}
        </Field>
        <Field label={t('imports.file')}>
          {(fid) => (
            <input
              id={fid}
              type="file"
              accept=".csv,text/csv"
              required
              onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])}
            />
          )}
        </Field>
        <Problem error={error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !file}>
            {t('imports.start')}
          </button>
        </div>
      </form>
      <Problem error={pollError} />
      {job && (
        <section class="card import-progress" aria-labelledby="import-progress">
          <h2 id="import-progress">{t('imports.progressTitle')}</h2>
          <p aria-live="polite" data-testid="import-status">
            {t(`imports.status.${job.status}`)}
          </p>
          <label for="import-bar">
            {t('imports.processed', {
              processed: formatNumber(job.processed, lang),
              total: formatNumber(job.total, lang),
            })}
          </label>
          <progress id="import-bar" max={Math.max(job.total, 1)} value={job.processed} />
          <dl class="facts">
            {counts.map((c) => (
              <Fragment key={c}>
                <dt>{t(`imports.${c}`)}</dt>
                <dd data-testid={`import-${c}`}>{formatNumber(job[c], lang)}</dd>
              </Fragment>
            ))}
          </dl>
          {job.errors.length > 0 && (
            <>
              <h3 id="import-errors">{t('imports.errors')}</h3>
              <table class="list" aria-labelledby="import-errors">
                <thead>
                  <tr>
                    <th scope="col">{t('imports.row')}</th>
                    <th scope="col">{t('imports.field')}</th>
                    <th scope="col">{t('imports.message')}</th>
                  </tr>
                </thead>
                <tbody>
                  {job.errors.map((e, i) => (
                    <tr key={i}>
                      <Cell label={t('imports.row')}>{e.row}</Cell>
                      <Cell label={t('imports.field')}>
                        <code>{e.field ?? ''}</code>
                      </Cell>
                      <Cell label={t('imports.message')}>{e.message}</Cell>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      )}
    </>
  );
};
