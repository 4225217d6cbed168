import { useEffect, useState } from 'preact/hooks';
import type { Page } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime, splitList } from '../format.ts';
import { navigate } from '../router.ts';
import type { Rule, RuleRun } from '../types.ts';
import { Badge, Cell, Field, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';

const events = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'purchase.recorded',
  'opportunity.created',
  'opportunity.updated',
  'order.created',
  'order.updated',
  'task.created',
  'task.updated',
];

/** A starting point for each action type; the API validates the rest and names any bad field. */
const actionTemplates: Record<string, Record<string, unknown>> = {
  assign: { type: 'assign', ownerId: 'u-sales-1' },
  set: { type: 'set', fields: { tier: 'A' } },
  tag: { type: 'tag', add: ['vip'], remove: [] },
  notify: {
    type: 'notify',
    channel: 'email',
    to: 'staff@example.com',
    subject: 'New customer',
    message: '{{customer.name}}',
  },
  createTask: { type: 'createTask', title: 'Call {{customer.name}}', taskType: 'follow-up', dueInDays: 1 },
  createOrder: { type: 'createOrder' },
};

export const Automation = () => {
  const { api, t } = useApp();
  const { data, error, loading } = useLoad(() => api<Page<Rule>>('GET', '/automation-rules?limit=100'), []);
  return (
    <>
      <PageHeader title={t('automation.title')}>
        <a class="button primary" href="#/automation/new">
          {t('automation.new')}
        </a>
      </PageHeader>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <p>{t('automation.empty')}</p>}
      {data && data.items.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('automation.name')}</th>
              <th scope="col">{t('automation.event')}</th>
              <th scope="col">{t('automation.actionsColumn')}</th>
              <th scope="col">{t('automation.enabled')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((r) => (
              <tr key={r.id}>
                <Cell label={t('automation.name')}>
                  <a href={`#/automation/${r.id}`}>{r.name}</a>
                </Cell>
                <Cell label={t('automation.event')}>
                  <code>{r.on}</code>
                </Cell>
                <Cell label={t('automation.actionsColumn')}>
                  {r.do.map((a) => String(a.type)).join(', ')}
                </Cell>
                <Cell label={t('automation.enabled')}>{r.enabled ? t('common.yes') : t('common.no')}</Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted">{t('automation.adminOnly')}</p>
    </>
  );
};

const Runs = ({ id }: { id: string }) => {
  const { api, t, lang } = useApp();
  const { data, error, loading } = useLoad(
    () => api<Page<RuleRun>>('GET', `/automation-rules/${id}/runs?limit=50`),
    [id],
  );
  return (
    <section aria-labelledby="runs">
      <h2 id="runs">{t('automation.runs')}</h2>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <p class="muted">{t('automation.noRuns')}</p>}
      {data && data.items.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('detail.when')}</th>
              <th scope="col">{t('automation.event')}</th>
              <th scope="col">{t('automation.result')}</th>
              <th scope="col">{t('automation.actionsColumn')}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((run) => (
              <tr key={run.eventId}>
                <Cell label={t('detail.when')}>{formatDateTime(run.at, lang)}</Cell>
                <Cell label={t('automation.event')}>
                  <code>{run.eventType}</code> {run.entityId}
                </Cell>
                <Cell label={t('automation.result')}>
                  <Badge value={run.result} text={run.result} />
                  {run.reason ? ` ${run.reason}` : ''}
                </Cell>
                <Cell label={t('automation.actionsColumn')}>
                  {run.actions
                    .map((a) => `${a.type}: ${a.result}${a.detail ? ` (${a.detail})` : ''}`)
                    .join('; ')}
                </Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};

export const RuleEditor = ({ id }: { id?: string | undefined }) => {
  const { api, t } = useApp();
  const existing = useLoad(
    () => (id ? api<Rule>('GET', `/automation-rules/${id}`) : Promise.resolve(undefined)),
    [id],
  );
  const [form, setForm] = useState({
    name: '',
    on: 'customer.created',
    when: '{}',
    changed: '',
    actions: JSON.stringify([actionTemplates.assign], null, 2),
    enabled: true,
  });
  const [addType, setAddType] = useState('assign');
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const r = existing.data;
    if (r)
      setForm({
        name: r.name,
        on: r.on,
        when: JSON.stringify(r.when, null, 2),
        changed: r.changed?.join(', ') ?? '',
        actions: JSON.stringify(r.do, null, 2),
        enabled: r.enabled,
      });
  }, [existing.data]);
  const set = (key: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
  const parse = (text: string, field: string) => {
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(t('editor.badJson', { field }));
    }
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const changed = splitList(form.changed);
      const body = {
        name: form.name,
        on: form.on,
        when: parse(form.when || '{}', t('automation.conditions')),
        do: parse(form.actions, t('automation.actions')),
        enabled: form.enabled,
        ...(changed.length ? { changed } : id ? { changed: null } : {}),
      };
      const saved = id
        ? await api<Rule>('PATCH', `/automation-rules/${id}`, {
            body,
            headers: { 'if-match': `"${existing.data?.version}"` },
          })
        : await api<Rule>('POST', '/automation-rules', { body });
      navigate(`/automation/${saved.id}`);
      existing.reload();
    } catch (e) {
      setError(e);
    }
  };
  const addAction = () => {
    const list = (() => {
      try {
        return JSON.parse(form.actions) as unknown[];
      } catch {
        return [];
      }
    })();
    setForm({ ...form, actions: JSON.stringify([...list, actionTemplates[addType]], null, 2) });
  };
  if (id && existing.loading && !existing.data) return <Loading />;
  if (existing.error) return <Problem error={existing.error} />;
  return (
    <>
      <PageHeader title={id ? t('automation.editTitle') : t('automation.newTitle')} />
      <form class="card form" onSubmit={save} aria-label={t('automation.editTitle')}>
        <Field label={t('automation.name')}>
          {(fid) => <input id={fid} required value={form.name} onInput={set('name')} />}
        </Field>
        <Field label={t('automation.event')} hint={t('automation.eventHint')}>
          {(fid, hint) => (
            <>
              <input
                id={fid}
                list="events"
                required
                aria-describedby={hint}
                value={form.on}
                onInput={set('on')}
              />
              <datalist id="events">
                {events.map((e) => (
                  <option key={e} value={e} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label={t('automation.changed')} hint={t('automation.changedHint')}>
          {(fid, hint) => (
            <input id={fid} aria-describedby={hint} value={form.changed} onInput={set('changed')} />
          )}
        </Field>
        <div class="field check">
          <input
            id="rule-enabled"
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: (e.target as HTMLInputElement).checked })}
          />
          <label for="rule-enabled">{t('automation.enabled')}</label>
        </div>
        <Field label={t('automation.conditions')} hint={t('automation.conditionsHint')} wide>
          {(fid, hint) => (
            <textarea
              id={fid}
              class="code"
              rows={5}
              aria-describedby={hint}
              value={form.when}
              onInput={set('when')}
            />
          )}
        </Field>
        <Field label={t('automation.actions')} hint={t('automation.actionsHint')} wide>
          {(fid, hint) => (
            <textarea
              id={fid}
              class="code"
              rows={10}
              aria-describedby={hint}
              value={form.actions}
              onInput={set('actions')}
            />
          )}
        </Field>
        <div class="inline">
          <Field label={t('automation.actionType')}>
            {(fid) => (
              <select
                id={fid}
                value={addType}
                onChange={(e) => setAddType((e.target as HTMLSelectElement).value)}
              >
                {Object.keys(actionTemplates).map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="button" onClick={addAction}>
            {t('automation.addAction')}
          </button>
        </div>
        <Problem error={error} />
        <div class="actions">
          <button type="submit" class="primary">
            {t('common.save')}
          </button>
          <a class="button" href="#/automation">
            {t('common.cancel')}
          </a>
        </div>
      </form>
      {id && <Runs id={id} />}
    </>
  );
};
