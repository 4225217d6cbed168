import { useState } from 'preact/hooks';
import { query } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime } from '../format.ts';
import { Cell, Field, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';

interface OutboxItem {
  channel: string;
  to: string;
  subject?: string;
  body: string;
  providerMessageId: string;
  sentAt: string;
}

/** Local runtime only: the `_local` routes that stand in for time passing and customers replying. */
export const DevPanel = () => {
  const { api, t, lang } = useApp();
  const clock = useLoad(() => api<{ now: string }>('GET', '/_local/clock'), []);
  const [filter, setFilter] = useState({ channel: '', to: '' });
  const outbox = useLoad(
    () => api<{ items: OutboxItem[] }>('GET', `/_local/outbox${query(filter)}`),
    [filter.channel, filter.to],
  );
  const [advance, setAdvance] = useState({ amount: '1', unit: 'advanceDays' });
  const [clockResult, setClockResult] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [sms, setSms] = useState({ from: '', to: '+12065550100', body: '', replyTo: '' });
  const [smsResult, setSmsResult] = useState<string>();

  const run = async (work: () => Promise<void>) => {
    setError(undefined);
    setBusy(true);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const moveClock = (e: Event) => {
    e.preventDefault();
    return run(async () => {
      const result = await api<{ now: string; fired: number }>('POST', '/_local/clock', {
        body: { [advance.unit]: Number(advance.amount) },
      });
      setClockResult(t('dev.fired', { n: result.fired, now: formatDateTime(result.now, lang) }));
      clock.reload();
      outbox.reload();
    });
  };
  const sendSms = (e: Event) => {
    e.preventDefault();
    return run(async () => {
      const result = await api<{ outcome?: string }>('POST', '/_local/sms/inbound', {
        body: {
          originationNumber: sms.from,
          destinationNumber: sms.to,
          messageBody: sms.body,
          inboundMessageId: `console-${crypto.randomUUID()}`,
          ...(sms.replyTo ? { previousPublishedMessageId: sms.replyTo } : {}),
        },
      });
      setSmsResult(t('dev.smsOutcome', { outcome: String(result.outcome ?? '') }));
    });
  };
  return (
    <>
      <PageHeader title={t('dev.title')} />
      <p class="muted">{t('dev.intro')}</p>
      <Problem error={error} />
      <div class="two-col">
        <form class="card form" onSubmit={moveClock} aria-labelledby="clock-title">
          <h2 id="clock-title">{t('dev.clock')}</h2>
          {clock.data ? <p>{t('dev.now', { now: formatDateTime(clock.data.now, lang) })}</p> : <Loading />}
          <Field label={t('dev.amount')}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={0}
                step="any"
                value={advance.amount}
                onInput={(e) => setAdvance({ ...advance, amount: (e.target as HTMLInputElement).value })}
              />
            )}
          </Field>
          <Field label={t('dev.unit')}>
            {(id) => (
              <select
                id={id}
                value={advance.unit}
                onChange={(e) => setAdvance({ ...advance, unit: (e.target as HTMLSelectElement).value })}
              >
                <option value="advanceDays">{t('dev.days')}</option>
                <option value="advanceHours">{t('dev.hours')}</option>
              </select>
            )}
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            {t('dev.advance')}
          </button>
          {clockResult && <p role="status">{clockResult}</p>}
        </form>
        <form class="card form" onSubmit={sendSms} aria-labelledby="sms-title">
          <h2 id="sms-title">{t('dev.inbound')}</h2>
          <Field label={t('dev.from')} hint={t('dev.fromHint')}>
            {(id, hint) => (
              <input
                id={id}
                type="tel"
                required
                aria-describedby={hint}
                value={sms.from}
                onInput={(e) => setSms({ ...sms, from: (e.target as HTMLInputElement).value })}
              />
            )}
          </Field>
          <Field label={t('dev.toNumber')}>
            {(id) => (
              <input
                id={id}
                type="tel"
                required
                value={sms.to}
                onInput={(e) => setSms({ ...sms, to: (e.target as HTMLInputElement).value })}
              />
            )}
          </Field>
          <Field label={t('dev.text')}>
            {(id) => (
              <textarea
                id={id}
                rows={2}
                required
                value={sms.body}
                onInput={(e) => setSms({ ...sms, body: (e.target as HTMLTextAreaElement).value })}
              />
            )}
          </Field>
          <Field label={t('dev.replyTo')} hint={t('dev.replyToHint')}>
            {(id, hint) => (
              <input
                id={id}
                aria-describedby={hint}
                value={sms.replyTo}
                onInput={(e) => setSms({ ...sms, replyTo: (e.target as HTMLInputElement).value })}
              />
            )}
          </Field>
          <button type="submit" class="primary" disabled={busy}>
            {t('dev.send')}
          </button>
          {smsResult && <p role="status">{smsResult}</p>}
        </form>
      </div>
      <h2>{t('dev.outbox')}</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('campaigns.channel')}>
          {(id) => (
            <select
              id={id}
              value={filter.channel}
              onChange={(e) => setFilter({ ...filter, channel: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t('common.all')}</option>
              <option value="sms">{t('channel.sms')}</option>
              <option value="email">{t('channel.email')}</option>
            </select>
          )}
        </Field>
        <Field label={t('detail.to')}>
          {(id) => (
            <input
              id={id}
              value={filter.to}
              onChange={(e) => setFilter({ ...filter, to: (e.target as HTMLInputElement).value })}
            />
          )}
        </Field>
        <button type="button" onClick={outbox.reload}>
          {t('common.refresh')}
        </button>
      </form>
      <Problem error={outbox.error} />
      {outbox.data && outbox.data.items.length === 0 && <p class="muted">{t('dev.emptyOutbox')}</p>}
      {outbox.data && outbox.data.items.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('detail.when')}</th>
              <th scope="col">{t('campaigns.channel')}</th>
              <th scope="col">{t('detail.to')}</th>
              <th scope="col">{t('detail.body')}</th>
              <th scope="col">{t('dev.providerId')}</th>
            </tr>
          </thead>
          <tbody>
            {[...outbox.data.items].reverse().map((m) => (
              <tr key={m.providerMessageId}>
                <Cell label={t('detail.when')}>{formatDateTime(m.sentAt, lang)}</Cell>
                <Cell label={t('campaigns.channel')}>{m.channel}</Cell>
                <Cell label={t('detail.to')}>{m.to}</Cell>
                <Cell label={t('detail.body')}>{m.subject ? `${m.subject}: ${m.body}` : m.body}</Cell>
                <Cell label={t('dev.providerId')}>
                  <code>{m.providerMessageId}</code>
                </Cell>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
};
