import { useState } from 'preact/hooks';
import { ApiError, type Page, query } from '../api.ts';
import { useApp } from '../context.ts';
import { formatDateTime } from '../format.ts';
import type { Customer } from '../types.ts';
import { Problem, useLoad } from '../ui.tsx';

interface Suppression {
  channel: 'sms' | 'email';
  address: string;
  reason: 'opt-out' | 'unsubscribe' | 'bounce' | 'complaint' | 'manual';
  source?: string;
  createdAt: string;
}

const reasons = ['opt-out', 'unsubscribe', 'bounce', 'complaint', 'manual'] as const;

/**
 * The customer's entries on the suppression list (admin, marketer, service read it); an admin can
 * add a manual entry for the customer's phone or email, or remove one. The list lives where the
 * addresses are, so no separate page is needed to find an address.
 */
export const CustomerSuppressions = ({ customer }: { customer: Customer }) => {
  const { api, t, lang, session } = useApp();
  const isAdmin = session.roles.includes('admin');
  const [error, setError] = useState<unknown>();
  const addresses = [
    ...(customer.phone ? [{ channel: 'sms' as const, address: customer.phone }] : []),
    ...(customer.email ? [{ channel: 'email' as const, address: customer.email }] : []),
  ];
  const list = useLoad(async () => {
    try {
      const pages = await Promise.all(
        addresses.map((a) => api<Page<Suppression>>('GET', `/suppressions${query(a)}`)),
      );
      return pages.flatMap((p) => p.items);
    } catch (e) {
      // Sales may not read the list; a deployment without the route has none.
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) return undefined;
      throw e;
    }
  }, [customer.id, customer.phone, customer.email]);

  const change = async (method: 'POST' | 'DELETE', a: { channel: string; address: string }) => {
    setError(undefined);
    try {
      if (method === 'POST') await api('POST', '/suppressions', { body: { ...a, reason: 'manual' } });
      else await api('DELETE', `/suppressions/${a.channel}/${encodeURIComponent(a.address)}`);
      list.reload();
    } catch (e) {
      setError(e);
    }
  };

  const items = list.data;
  const reasonText = (r: string) =>
    (reasons as readonly string[]).includes(r) ? t(`suppression.reason.${r as (typeof reasons)[number]}`) : r;
  return (
    <section aria-labelledby="suppressions">
      <h3 id="suppressions">{t('customer.suppressions')}</h3>
      <Problem error={list.error} />
      <Problem error={error} />
      {items === undefined && !list.loading && !list.error ? (
        <p class="muted">{t('customer.noSuppressionApi')}</p>
      ) : items && items.length === 0 ? (
        <p class="muted">{t('customer.noSuppressions')}</p>
      ) : (
        <ul class="suppressions">
          {items?.map((s) => (
            <li key={`${s.channel}${s.address}`}>
              {t(`channel.${s.channel}`)} {s.address}: {reasonText(s.reason)} (
              {formatDateTime(s.createdAt, lang)})
              {isAdmin && (
                <button
                  type="button"
                  aria-label={t('suppression.removeFor', { address: s.address })}
                  onClick={() => change('DELETE', s)}
                >
                  {t('suppression.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {isAdmin && items && (
        <div class="actions">
          {addresses
            .filter((a) => !items.some((s) => s.channel === a.channel && s.address === a.address))
            .map((a) => (
              <button key={a.channel} type="button" onClick={() => change('POST', a)}>
                {t(a.channel === 'sms' ? 'suppression.addSms' : 'suppression.addEmail')}
              </button>
            ))}
        </div>
      )}
    </section>
  );
};
