import { useState } from 'preact/hooks';
import { type Page, query } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime } from '../format.ts';
import type { Customer, Task } from '../types.ts';
import { Badge, Field, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';

type Queue = 'mine' | 'team' | 'all';

const TaskCard = ({ task, customer, onDone }: { task: Task; customer?: Customer; onDone: () => void }) => {
  const { api, t, lang } = useApp();
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const close = async (status: 'done' | 'cancelled') => {
    setError(undefined);
    setBusy(true);
    try {
      await api('PATCH', `/tasks/${task.id}`, {
        body: { status, ...(outcome.trim() ? { outcome: outcome.trim() } : {}) },
        headers: { 'if-match': `"${task.version}"` },
      });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const overdue = task.status === 'open' && Date.parse(task.dueAt) < Date.now();
  return (
    <li class="card task">
      <h2>{task.title}</h2>
      <p>
        <Badge
          value={task.type}
          text={task.type === 'follow-up-call' ? t('tasks.followUpCall') : task.type}
        />{' '}
        <span class={overdue ? 'overdue' : 'muted'}>
          {t('tasks.due', { at: formatDateTime(task.dueAt, lang) })}
          {customer &&
            ` · ${t('tasks.customerTime', { at: formatDateTime(task.dueAt, lang, customer.timezone) })}`}
        </span>
      </p>
      <p>{task.reason}</p>
      <p>
        {t('tasks.customer')}:{' '}
        <a href={`#/customers/${task.customerId}`}>{customer?.name ?? task.customerId}</a>
        {customer?.phone && (
          <>
            {' · '}
            <a href={`tel:${customer.phone}`}>{customer.phone}</a>
          </>
        )}
      </p>
      <p class="muted">
        {task.assigneeId
          ? t('tasks.assignedTo', { who: task.assigneeId })
          : t('tasks.inQueue', { queue: task.queue ?? 'service' })}
      </p>
      {task.status === 'open' ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            close('done');
          }}
        >
          <Field label={t('tasks.outcome')} wide>
            {(id) => (
              <textarea
                id={id}
                rows={3}
                required
                value={outcome}
                onInput={(e) => setOutcome((e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
          <Problem error={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('tasks.complete')}
            </button>
            <button type="button" disabled={busy} onClick={() => close('cancelled')}>
              {t('tasks.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p>
          <Badge value={task.status} text={t(`taskStatus.${task.status}`)} /> {task.outcome}
        </p>
      )}
    </li>
  );
};

export const Tasks = () => {
  const { api, t, session } = useApp();
  const seesTeam = session.roles.some((r) => r === 'admin' || r === 'service');
  const [queue, setQueue] = useState<Queue>(seesTeam ? 'team' : 'mine');
  const [status, setStatus] = useState<'open' | 'done' | 'cancelled'>('open');
  const { data, error, loading, reload } = useLoad(async () => {
    // Unassigned tasks wait in a queue, which the API lists under the assignee `queue:<name>`.
    const assigneeId = queue === 'mine' ? session.sub : queue === 'team' ? 'queue:service' : undefined;
    const page = await api<Page<Task>>('GET', `/tasks${query({ status, assigneeId, limit: 100 })}`);
    const ids = [...new Set(page.items.map((task) => task.customerId))];
    const customers = await Promise.all(
      ids.map((id) => api<Customer>('GET', `/customers/${id}`).catch(() => undefined)),
    );
    return {
      tasks: page.items,
      customers: new Map(customers.filter(Boolean).map((c) => [c?.id, c as Customer])),
    };
  }, [queue, status]);
  const tabs: Queue[] = seesTeam ? ['mine', 'team', 'all'] : ['mine'];
  return (
    <>
      <PageHeader title={t('tasks.title')} />
      <div class="filters">
        <div role="tablist" aria-label={t('tasks.queues')} class="tabs">
          {tabs.map((q) => (
            <button key={q} type="button" role="tab" aria-selected={queue === q} onClick={() => setQueue(q)}>
              {t(`tasks.queue.${q}`)}
            </button>
          ))}
        </div>
        <Field label={t('tasks.status')}>
          {(id) => (
            <select
              id={id}
              value={status}
              onChange={(e) => setStatus((e.target as HTMLSelectElement).value as typeof status)}
            >
              <option value="open">{t('taskStatus.open')}</option>
              <option value="done">{t('taskStatus.done')}</option>
              <option value="cancelled">{t('taskStatus.cancelled')}</option>
            </select>
          )}
        </Field>
      </div>
      <Problem error={error} />
      {loading && !data && <Loading />}
      {data && data.tasks.length === 0 && <p>{t('tasks.empty')}</p>}
      {data && (
        <ul class="tasks" aria-label={t(`tasks.queue.${queue}`)}>
          {data.tasks.map((task) => (
            <TaskCard
              key={task.id}
              task={task}
              customer={data.customers.get(task.customerId)}
              onDone={reload}
            />
          ))}
        </ul>
      )}
    </>
  );
};
