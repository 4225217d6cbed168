import { useState } from 'preact/hooks';
import { type Page, query } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime, isoToLocalInput, localInputToIso } from '../format.ts';
import type { Activity, Customer, Lead, SalesSettings } from '../types.ts';
import { Badge, Cell, Field, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';

const contactTypes = ['call', 'visit', 'test-drive', 'message', 'note'] as const;
const outcomes = ['reached', 'no-answer', 'refused', 'visited'] as const;
const leadStatuses = ['open', 'won', 'lost'] as const;

type Api = ReturnType<typeof useApp>['api'];

/** Only managers and admins may read the sales settings; others see grades as the leads carry them. */
const settingsOf = (api: Api) => api<SalesSettings>('GET', '/sales/settings').catch(() => undefined);

const namesOf = async (api: Api, ids: string[]) => {
  const customers = await Promise.all(
    [...new Set(ids)].map((id) => api<Customer>('GET', `/customers/${id}`).catch(() => undefined)),
  );
  return new Map(customers.filter((c): c is Customer => Boolean(c)).map((c) => [c.id, c.name]));
};

export const Leads = () => {
  const { api, t, lang } = useApp();
  const [filters, setFilters] = useState({ ownerId: '', grade: '', status: 'open', pool: '' });
  const { data, error, loading } = useLoad(async () => {
    const [page, settings] = await Promise.all([
      api<Page<Lead>>('GET', `/leads${query({ ...filters, limit: 100 })}`),
      settingsOf(api),
    ]);
    return {
      leads: page.items,
      settings,
      names: await namesOf(
        api,
        page.items.map((l) => l.customerId),
      ),
    };
  }, [filters.ownerId, filters.grade, filters.status, filters.pool]);
  const set = (key: keyof typeof filters) => (e: Event) =>
    setFilters({ ...filters, [key]: (e.target as HTMLInputElement).value });
  const grades = data?.settings?.grades ?? [];
  return (
    <>
      <PageHeader title={t('leads.title')} />
      <form class="filters" aria-label={t('common.filter')} onSubmit={(e) => e.preventDefault()}>
        <Field label={t('leads.filterOwner')}>
          {(id) => <input id={id} value={filters.ownerId} onChange={set('ownerId')} />}
        </Field>
        <Field label={t('leads.grade')}>
          {(id) =>
            grades.length ? (
              <select id={id} value={filters.grade} onChange={set('grade')}>
                <option value="">{t('leads.any')}</option>
                {grades.map((g) => (
                  <option key={g.code} value={g.code}>
                    {g.code} · {g.label}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} value={filters.grade} onChange={set('grade')} />
            )
          }
        </Field>
        <Field label={t('leads.status')}>
          {(id) => (
            <select id={id} value={filters.status} onChange={set('status')}>
              <option value="">{t('leads.any')}</option>
              {leadStatuses.map((s) => (
                <option key={s} value={s}>
                  {t(`leadStatus.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('leads.pool')}>
          {(id) => <input id={id} value={filters.pool} onChange={set('pool')} placeholder="marketing" />}
        </Field>
      </form>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && data.leads.length === 0 && <p>{t('leads.empty')}</p>}
      {data && data.leads.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('tasks.customer')}</th>
              <th scope="col">{t('leads.interest')}</th>
              <th scope="col">{t('leads.grade')}</th>
              <th scope="col">{t('leads.status')}</th>
              <th scope="col">{t('leads.filterOwner')}</th>
              <th scope="col">{t('leads.nextCallback')}</th>
            </tr>
          </thead>
          <tbody>
            {data.leads.map((lead) => (
              <tr key={lead.id}>
                <Cell label={t('tasks.customer')}>
                  <a href={`#/leads/${lead.id}`}>{data.names.get(lead.customerId) ?? lead.customerId}</a>
                </Cell>
                <Cell label={t('leads.interest')}>{lead.interest}</Cell>
                <Cell label={t('leads.grade')}>{lead.grade}</Cell>
                <Cell label={t('leads.status')}>
                  <Badge value={lead.status} text={t(`leadStatus.${lead.status}`)} />
                </Cell>
                <Cell label={t('leads.filterOwner')}>
                  {lead.ownerId ?? (lead.pool ? `${t('leads.pool')}: ${lead.pool}` : t('leads.unowned'))}
                </Cell>
                <Cell label={t('leads.nextCallback')}>{formatDateTime(lead.nextCallbackAt, lang)}</Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};

export const LeadPage = ({ id }: { id: string }) => {
  const { api, t, lang, session } = useApp();
  const { data, error, loading, reload } = useLoad(async () => {
    const [lead, activities, settings] = await Promise.all([
      api<Lead>('GET', `/leads/${id}`),
      api<Page<Activity>>('GET', `/leads/${id}/activities?limit=100`),
      settingsOf(api),
    ]);
    const customer = await api<Customer>('GET', `/customers/${lead.customerId}`).catch(() => undefined);
    return { lead, activities: activities.items, settings, customer };
  }, [id]);
  const [form, setForm] = useState({
    type: 'call',
    at: isoToLocalInput(new Date().toISOString()),
    outcome: 'reached',
    note: '',
    grade: '',
  });
  const [assignee, setAssignee] = useState('');
  const [actionError, setActionError] = useState<unknown>();
  const act = async (work: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await work();
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  if (error) return <Problem error={error} />;
  if (loading && !data) return <Loading />;
  if (!data) return null;
  const { lead, activities, settings, customer } = data;
  const manages = session.roles.some((r) => r === 'admin' || r === 'manager');
  const set = (key: keyof typeof form) => (e: Event) =>
    setForm({ ...form, [key]: (e.target as HTMLInputElement).value });
  return (
    <>
      <PageHeader title={`${customer?.name ?? lead.customerId} · ${lead.interest}`}>
        {lead.pool && session.roles.includes('sales') && (
          <button type="button" class="primary" onClick={() => act(() => api('POST', `/leads/${id}/claim`))}>
            {t('leads.claim')}
          </button>
        )}
      </PageHeader>
      <Problem error={actionError} />
      <div class="two-col">
        <section class="card" aria-labelledby="lead-facts">
          <h2 id="lead-facts">{t('leads.lead')}</h2>
          <dl class="facts">
            <dt>{t('leads.status')}</dt>
            <dd>
              <Badge value={lead.status} text={t(`leadStatus.${lead.status}`)} />
            </dd>
            <dt>{t('leads.grade')}</dt>
            <dd>
              {lead.grade}
              {settings?.grades.find((g) => g.code === lead.grade)?.label
                ? ` · ${settings.grades.find((g) => g.code === lead.grade)?.label}`
                : ''}
            </dd>
            <dt>{t('leads.source')}</dt>
            <dd>{lead.source}</dd>
            <dt>{t('leads.filterOwner')}</dt>
            <dd>{lead.ownerId ?? (lead.pool ? `${t('leads.pool')}: ${lead.pool}` : t('leads.unowned'))}</dd>
            <dt>{t('leads.nextCallback')}</dt>
            <dd>{formatDateTime(lead.nextCallbackAt, lang) || '–'}</dd>
            <dt>{t('leads.lastContact')}</dt>
            <dd>{formatDateTime(lead.lastContactAt, lang) || '–'}</dd>
            <dt>{t('customers.phone')}</dt>
            <dd>{customer?.phone ? <a href={`tel:${customer.phone}`}>{customer.phone}</a> : '–'}</dd>
            <dt>{t('leads.companions')}</dt>
            <dd>
              {lead.companions.map((c) => (c.note ? `${c.relation} (${c.note})` : c.relation)).join(', ') ||
                '–'}
            </dd>
            {lead.note && (
              <>
                <dt>{t('leads.note')}</dt>
                <dd>{lead.note}</dd>
              </>
            )}
          </dl>
          {manages && lead.status === 'open' && (
            <form
              class="inline"
              onSubmit={(e) => {
                e.preventDefault();
                act(() => api('POST', `/leads/${id}/assign`, { body: { ownerId: assignee.trim() } }));
              }}
            >
              <Field label={t('leads.assignTo')}>
                {(fid) => (
                  <input
                    id={fid}
                    required
                    value={assignee}
                    onInput={(e) => setAssignee((e.target as HTMLInputElement).value)}
                  />
                )}
              </Field>
              <button type="submit">{t('leads.assign')}</button>
            </form>
          )}
        </section>
        {lead.status === 'open' && (
          <form
            class="card form"
            aria-labelledby="log-title"
            onSubmit={(e) => {
              e.preventDefault();
              act(async () => {
                await api('POST', `/leads/${id}/activities`, {
                  body: {
                    type: form.type,
                    at: localInputToIso(form.at),
                    outcome: form.outcome,
                    ...(form.note.trim() ? { note: form.note.trim() } : {}),
                    ...(form.grade ? { grade: form.grade } : {}),
                  },
                });
                setForm({ ...form, note: '', grade: '' });
              });
            }}
          >
            <h2 id="log-title">{t('leads.logActivity')}</h2>
            <Field label={t('leads.type')}>
              {(fid) => (
                <select id={fid} value={form.type} onChange={set('type')}>
                  {contactTypes.map((type) => (
                    <option key={type} value={type}>
                      {t(`activity.${type}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('leads.at')}>
              {(fid) => <input id={fid} type="datetime-local" required value={form.at} onInput={set('at')} />}
            </Field>
            <Field label={t('leads.outcome')}>
              {(fid) => (
                <select id={fid} value={form.outcome} onChange={set('outcome')}>
                  {outcomes.map((o) => (
                    <option key={o} value={o}>
                      {t(`outcome.${o}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('leads.newGrade')}>
              {(fid) =>
                settings ? (
                  <select id={fid} value={form.grade} onChange={set('grade')}>
                    <option value="">{t('leads.keepGrade')}</option>
                    {settings.grades.map((g) => (
                      <option key={g.code} value={g.code}>
                        {g.code} · {g.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input id={fid} value={form.grade} onInput={set('grade')} placeholder={lead.grade} />
                )
              }
            </Field>
            <Field label={t('leads.note')} wide>
              {(fid) => <textarea id={fid} rows={2} value={form.note} onInput={set('note')} />}
            </Field>
            <button type="submit" class="primary">
              {t('leads.save')}
            </button>
          </form>
        )}
      </div>
      <h2>{t('leads.activities')}</h2>
      {activities.length === 0 ? (
        <p class="muted">{t('leads.noActivities')}</p>
      ) : (
        <ol class="timeline">
          {activities.map((a) => (
            <li key={a.id}>
              <Badge
                value={a.type}
                text={
                  (contactTypes as readonly string[]).includes(a.type)
                    ? t(`activity.${a.type as 'call'}`)
                    : a.type
                }
              />
              <time dateTime={a.at}>{formatDateTime(a.at, lang)}</time>
              <p>
                {a.outcome && (outcomes as readonly string[]).includes(a.outcome)
                  ? t(`outcome.${a.outcome as 'reached'}`)
                  : a.outcome}
                {a.previousGrade && a.grade && a.previousGrade !== a.grade
                  ? ` · ${a.previousGrade} → ${a.grade}`
                  : ''}
                {a.note ? ` · ${a.note}` : ''} · {a.actorId}
              </p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
};
