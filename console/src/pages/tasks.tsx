import { useState } from 'preact/hooks';
import { type Page, query } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime } from '../format.ts';
import type { Customer, Task } from '../types.ts';
import { Badge, Field, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';

type Queue = 'mine' | 'team' | 'all';

const TaskCard = ({ task, customer, onDone }: { task: Task; customer?: Customer; onDone: () => void }) => {
  const { api, t, lang, session } = useApp();
  const [outcome, setOutcome] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const decides = session.roles.some((r) => r === 'admin' || r === 'manager');
  const closesDirectly = session.roles.some((r) => r === 'admin' || r === 'service' || r === 'manager');
  const run = async (work: () => Promise<unknown>) => {
    setError(undefined);
    setBusy(true);
    try {
      await work();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const patch = (body: Record<string, unknown>) =>
    run(() => api('PATCH', `/tasks/${task.id}`, { body, headers: { 'if-match': `"${task.version}"` } }));
  const decide = (approve: boolean) =>
    run(() =>
      api('POST', `/tasks/${task.id}/decision`, {
        body: { approve, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    );
  const overdue = task.status === 'open' && Date.parse(task.dueAt) < Date.now();
  return (
    <li class="card task">
      <h2>{task.title}</h2>
      <p>
        <Badge value={task.type} text={taskType(task.type, t)} />{' '}
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
        {task.leadId && (
          <>
            {' · '}
            <a href={`#/leads/${task.leadId}`}>{t('leads.lead')}</a>
          </>
        )}
      </p>
      <p class="muted">
        {task.assigneeId
          ? t('tasks.assignedTo', { who: task.assigneeId })
          : t('tasks.inQueue', { queue: queueName(task.queue ?? 'service', t) })}
      </p>
      {task.status === 'open' && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            patch({ status: 'done', ...(outcome.trim() ? { outcome: outcome.trim() } : {}) });
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
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('tasks.complete')}
            </button>
            {/* a callback is dropped only through a cancel request and a manager's decision */}
            {closesDirectly && task.type !== 'callback' && (
              <button type="button" disabled={busy} onClick={() => patch({ status: 'cancelled' })}>
                {t('tasks.cancel')}
              </button>
            )}
          </div>
        </form>
      )}
      {task.status === 'open' && !closesDirectly && (
        <details>
          <summary>{t('tasks.askCancel')}</summary>
          <Field label={t('tasks.cancelReason')} wide>
            {(id) => (
              <textarea
                id={id}
                rows={2}
                value={reason}
                onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
              />
            )}
          </Field>
          <button
            type="button"
            disabled={busy || !reason.trim()}
            onClick={() => patch({ status: 'cancel-requested', reason: reason.trim() })}
          >
            {t('tasks.sendRequest')}
          </button>
        </details>
      )}
      {task.status === 'cancel-requested' && (
        <div>
          <p>
            <Badge value="paused" text={t('taskStatus.cancel-requested')} /> {task.cancelReason}
          </p>
          {decides && (
            <>
              <Field label={t('tasks.decisionNote')} wide>
                {(id) => (
                  <input
                    id={id}
                    value={note}
                    onInput={(e) => setNote((e.target as HTMLInputElement).value)}
                  />
                )}
              </Field>
              <div class="actions">
                <button type="button" class="primary" disabled={busy} onClick={() => decide(true)}>
                  {t('tasks.approve')}
                </button>
                <button type="button" disabled={busy} onClick={() => decide(false)}>
                  {t('tasks.reject')}
                </button>
              </div>
            </>
          )}
        </div>
      )}
      {(task.status === 'done' || task.status === 'cancelled') && (
        <p>
          <Badge value={task.status} text={t(`taskStatus.${task.status}`)} /> {task.outcome}
          {task.decision?.note ? ` · ${task.decision.note}` : ''}
        </p>
      )}
      <Problem error={error} />
    </li>
  );
};

const queueName = (queue: string, t: ReturnType<typeof useApp>['t']) =>
  queue === 'service' || queue === 'manager' ? t(`role.${queue}`) : queue;

const taskType = (type: string, t: ReturnType<typeof useApp>['t']) =>
  type === 'follow-up-call'
    ? t('tasks.followUpCall')
    : type === 'callback'
      ? t('tasks.callback')
      : type === 'assignment'
        ? t('tasks.assignment')
        : type;

export const Tasks = () => {
  const { api, t, session } = useApp();
  const seesTeam = session.roles.some((r) => r === 'admin' || r === 'service' || r === 'manager');
  // Unassigned work waits in a team queue: service for follow-up calls, manager for lead hand-overs.
  const teamQueue = session.roles.includes('manager') ? 'queue:manager' : 'queue:service';
  const [queue, setQueue] = useState<Queue>(seesTeam ? 'team' : 'mine');
  const [status, setStatus] = useState<Task['status']>('open');
  const { data, error, loading, reload } = useLoad(async () => {
    // Unassigned tasks wait in a queue, which the API lists under the assignee `queue:<name>`.
    const assigneeId = queue === 'mine' ? session.sub : queue === 'team' ? teamQueue : undefined;
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
              <option value="cancel-requested">{t('taskStatus.cancel-requested')}</option>
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
