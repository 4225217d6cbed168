import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Page } from '../api.ts';
import { useApp } from '../context.ts';
import { isoToLocalInput, localInputToIso, splitList, viewerZone } from '../format.ts';
import { interestAdvice, renderPreview } from '../preview.ts';
import { navigate } from '../router.ts';
import { finalSms, type SurveyScale, surveyScaleOf, surveyScales, surveySettingOf } from '../survey.ts';
import type { Campaign, Customer, Product } from '../types.ts';
import { Field, fieldErrors, Loading, PageHeader, Problem, useLoad } from '../ui.tsx';
import {
  blankEffect,
  EffectFields,
  type EffectModel,
  effectBody,
  effectFromCampaign,
  startVariants,
  VariantFields,
} from './campaign-effect-fields.tsx';

interface Model extends EffectModel {
  name: string;
  kind: Campaign['kind'];
  channel: Campaign['channel'];
  /** '' is no survey. */
  survey: SurveyScale | '';
  timingType: 'afterPurchaseDays' | 'beforeLifespanEndDays';
  timingDays: number;
  skus: string;
  categories: string;
  scheduleType: 'at' | 'cron';
  at: string;
  cron: string;
  cronZone: string;
  audience: string;
  sendAt: string;
  windowStart: string;
  windowEnd: string;
  subject: string;
  body: string;
  byInterest: { interest: string; text: string }[];
}

const blank = (): Model => ({
  name: '',
  kind: 'lifecycle',
  channel: 'sms',
  survey: '',
  timingType: 'afterPurchaseDays',
  timingDays: 7,
  skus: '',
  categories: '',
  scheduleType: 'at',
  at: '',
  cron: '0 10 ? * MON *',
  cronZone: viewerZone(),
  audience: '',
  sendAt: '10:00',
  windowStart: '09:00',
  windowEnd: '20:00',
  subject: '',
  body: '',
  byInterest: [],
  ...blankEffect(),
});

const fromCampaign = (c: Campaign): Model => {
  const timing = c.trigger?.timing ?? { afterPurchaseDays: 7 };
  const schedule = c.schedule;
  return {
    ...blank(),
    name: c.name,
    kind: c.kind,
    channel: c.channel,
    survey: surveyScaleOf(c.survey) ?? '',
    timingType: 'afterPurchaseDays' in timing ? 'afterPurchaseDays' : 'beforeLifespanEndDays',
    timingDays: 'afterPurchaseDays' in timing ? timing.afterPurchaseDays : timing.beforeLifespanEndDays,
    skus: c.trigger?.products?.skus?.join(', ') ?? '',
    categories: c.trigger?.products?.categories?.join(', ') ?? '',
    scheduleType: schedule && 'cron' in schedule ? 'cron' : 'at',
    at: schedule && 'at' in schedule ? isoToLocalInput(schedule.at) : '',
    cron: schedule && 'cron' in schedule ? schedule.cron : '0 10 ? * MON *',
    cronZone: schedule && 'cron' in schedule ? schedule.timezone : viewerZone(),
    audience: c.audience ? JSON.stringify(c.audience, null, 2) : '',
    sendAt: c.sendAt,
    windowStart: c.sendWindow.start,
    windowEnd: c.sendWindow.end,
    subject: c.message?.subject ?? '',
    body: c.message?.body ?? '',
    // Variants share one set of interest advice; the first variant's stands for all.
    byInterest: Object.entries((c.message ?? c.variants?.[0]?.message)?.byInterest ?? {}).map(
      ([interest, text]) => ({ interest, text }),
    ),
    ...effectFromCampaign(c),
  };
};

class JsonFieldError extends Error {}

/** The API's body for this form; `patch` keeps to the fields PATCH accepts. */
const toBody = (m: Model, patch: boolean, had: Campaign | undefined) => {
  let audience: unknown;
  if (m.audience.trim()) {
    try {
      audience = JSON.parse(m.audience);
    } catch {
      throw new JsonFieldError('audience');
    }
  }
  const skus = splitList(m.skus);
  const categories = splitList(m.categories);
  const products =
    skus.length || categories.length
      ? { ...(skus.length ? { skus } : {}), ...(categories.length ? { categories } : {}) }
      : undefined;
  const byInterest = Object.fromEntries(
    m.byInterest.filter((b) => b.interest.trim()).map((b) => [b.interest.trim(), b.text]),
  );
  const message = {
    ...(m.channel === 'email' || m.subject ? { subject: m.subject } : {}),
    body: m.body,
    ...(Object.keys(byInterest).length ? { byInterest } : {}),
  };
  const common = {
    name: m.name,
    ...(m.kind === 'lifecycle'
      ? { trigger: { ...(products ? { products } : {}), timing: { [m.timingType]: Number(m.timingDays) } } }
      : {
          schedule:
            m.scheduleType === 'at'
              ? { at: m.at ? localInputToIso(m.at) : '' }
              : { cron: m.cron, timezone: m.cronZone },
        }),
    ...(audience !== undefined ? { audience } : patch && had?.audience ? { audience: null } : {}),
    sendAt: m.sendAt,
    sendWindow: { start: m.windowStart, end: m.windowEnd },
    ...effectBody(
      m,
      message,
      {
        holdout: had?.holdoutPercent !== undefined,
        goal: had?.goal !== undefined,
        variants: Boolean(had?.variants?.length),
      },
      patch,
    ),
  };
  return patch
    ? common
    : {
        ...common,
        kind: m.kind,
        channel: m.channel,
        survey: m.channel === 'sms' ? surveySettingOf(m.survey || undefined) : false,
      };
};

const sampleCustomer = {
  id: 'sample',
  name: 'Li Lei',
  email: 'li@example.com',
  phone: '+8613800138000',
  timezone: 'Asia/Shanghai',
  region: 'Beijing',
  interests: ['table-tennis', 'mountaineering'],
  tags: [],
  attributes: {},
} as unknown as Customer;
const sampleProduct: Product = {
  sku: 'PADDLE-PRO',
  name: 'Pro paddle',
  category: 'table-tennis',
  lifespanDays: 180,
  careTips: 'Keep it dry.',
  price: 399,
};

const Preview = ({ model }: { model: Model }) => {
  const { api, t, lang } = useApp();
  const samples = useLoad(async () => {
    const [customers, products] = await Promise.all([
      api<Page<Customer>>('GET', '/customers?limit=20').catch(() => ({ items: [] as Customer[] })),
      api<Page<Product>>('GET', '/products?limit=100').catch(() => ({ items: [] as Product[] })),
    ]);
    return { customers: [sampleCustomer, ...customers.items], products: products.items };
  }, []);
  const [customerId, setCustomerId] = useState('sample');
  const [variantIndex, setVariantIndex] = useState(0);
  const variant = model.useVariants
    ? model.variants[Math.min(variantIndex, model.variants.length - 1)]
    : undefined;
  const source = variant ?? model;
  const customers = samples.data?.customers ?? [sampleCustomer];
  const customer = customers.find((c) => c.id === customerId) ?? sampleCustomer;
  const skus = splitList(model.skus);
  const categories = splitList(model.categories);
  const product =
    samples.data?.products.find(
      (p) => skus.includes(p.sku) || (p.category && categories.includes(p.category)),
    ) ??
    samples.data?.products[0] ??
    sampleProduct;
  const scope = {
    customer,
    product,
    purchase: { purchasedAt: new Date().toISOString(), storeId: 'bj-01', total: product.price ?? 0 },
    unsubscribeUrl: `${location.origin}/unsubscribe/…`,
  };
  const advice = interestAdvice(
    Object.fromEntries(model.byInterest.map((b) => [b.interest.trim(), b.text])),
    customer.interests ?? [],
  );
  const full = { ...scope, interestAdvice: advice };
  const rendered = renderPreview(source.body, full);
  // The sample customer speaks the viewer's language; a real one gets the texts of their own locale.
  // An SMS goes out with the survey question or the opt-out line appended, as the server sends it.
  const body =
    model.channel === 'sms' && rendered.trim()
      ? finalSms(rendered, model.survey || undefined, customer.id === 'sample' ? lang : customer.locale)
      : rendered;
  const subject = renderPreview(source.subject, full);
  return (
    <section class="preview card" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('editor.preview')}</h2>
      <p class="muted">{t('editor.previewNote')}</p>
      <Field label={t('editor.sampleCustomer')}>
        {(id) => (
          <select
            id={id}
            value={customerId}
            onChange={(e) => setCustomerId((e.target as HTMLSelectElement).value)}
          >
            {customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.id === 'sample' ? `${c.name} (${t('editor.sample')})` : c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {model.useVariants && model.variants.length > 0 && (
        <Field label={t('effect.previewVariant')}>
          {(id) => (
            <select
              id={id}
              value={Math.min(variantIndex, model.variants.length - 1)}
              onChange={(e) => setVariantIndex(Number((e.target as HTMLSelectElement).value))}
            >
              {model.variants.map((v, i) => (
                <option key={i} value={i}>
                  {v.name || t('effect.variantN', { n: i + 1 })}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <p class="muted">
        {t('editor.sampleProduct')}: {product.name} ({product.sku})
      </p>
      {model.channel === 'email' && (
        <p>
          <strong>{t('editor.subject')}:</strong> {subject}
        </p>
      )}
      <pre class="message" data-testid="preview-body">
        {body}
      </pre>
      <p class="muted">
        {t('editor.characters', { n: body.length, max: model.channel === 'sms' ? 1600 : 262144 })}
      </p>
    </section>
  );
};

export const CampaignEditor = ({ id }: { id?: string | undefined }) => {
  const { api, t } = useApp();
  const existing = useLoad(
    () => (id ? api<Campaign>('GET', `/campaigns/${id}`) : Promise.resolve(undefined)),
    [id],
  );
  const [model, setModel] = useState<Model>(blank);
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (existing.data) setModel(fromCampaign(existing.data));
  }, [existing.data]);
  const set = <K extends keyof Model>(key: K, value: Model[K]) => setModel((m) => ({ ...m, [key]: value }));
  const input = (key: keyof Model) => (e: Event) => set(key, (e.target as HTMLInputElement).value as never);
  const editing = Boolean(id);
  const debouncedModel = useDebounced(model, 250);
  const err = fieldErrors(error);

  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setSaving(true);
    try {
      const body = toBody(model, editing, existing.data);
      const saved = editing
        ? await api<Campaign>('PATCH', `/campaigns/${id}`, {
            body,
            headers: { 'if-match': `"${existing.data?.version}"` },
          })
        : await api<Campaign>('POST', '/campaigns', { body });
      navigate(`/campaigns/${saved.id}`);
    } catch (e) {
      setError(
        e instanceof JsonFieldError ? new Error(t('editor.badJson', { field: t('editor.audience') })) : e,
      );
    } finally {
      setSaving(false);
    }
  };

  if (editing && existing.loading && !existing.data) return <Loading />;
  if (existing.error) return <Problem error={existing.error} />;
  return (
    <>
      <PageHeader title={editing ? t('editor.editTitle') : t('editor.newTitle')} />
      <div class="editor">
        <form class="card form" onSubmit={save} aria-label={t('editor.form')}>
          <fieldset>
            <legend>{t('editor.basics')}</legend>
            <Field label={t('campaigns.name')} error={err('name')}>
              {(fid) => <input id={fid} required value={model.name} onInput={input('name')} />}
            </Field>
            <Field
              label={t('campaigns.kind')}
              hint={editing ? t('editor.fixedAfterCreate') : undefined}
              error={err('kind')}
            >
              {(fid, hint) => (
                <select
                  id={fid}
                  aria-describedby={hint}
                  disabled={editing}
                  value={model.kind}
                  onChange={input('kind')}
                >
                  <option value="lifecycle">{t('kind.lifecycle')}</option>
                  <option value="broadcast">{t('kind.broadcast')}</option>
                </select>
              )}
            </Field>
            <Field label={t('campaigns.channel')} error={err('channel')}>
              {(fid) => (
                <select id={fid} disabled={editing} value={model.channel} onChange={input('channel')}>
                  <option value="sms">{t('channel.sms')}</option>
                  <option value="email">{t('channel.email')}</option>
                </select>
              )}
            </Field>
            <Field
              label={t('editor.survey')}
              hint={model.channel !== 'sms' ? t('editor.surveySmsOnly') : undefined}
              error={err('survey*')}
            >
              {(fid, hint) => (
                <select
                  id={fid}
                  aria-describedby={hint}
                  disabled={editing || model.channel !== 'sms'}
                  value={model.channel === 'sms' ? model.survey : ''}
                  onChange={input('survey')}
                >
                  <option value="">{t('survey.off')}</option>
                  {surveyScales.map((scale) => (
                    <option key={scale} value={scale}>
                      {t(`survey.${scale}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </fieldset>

          {model.kind === 'lifecycle' ? (
            <fieldset>
              <legend>{t('editor.trigger')}</legend>
              <Field label={t('editor.timing')} error={err('trigger')}>
                {(fid) => (
                  <select id={fid} value={model.timingType} onChange={input('timingType')}>
                    <option value="afterPurchaseDays">{t('editor.afterPurchaseDays')}</option>
                    <option value="beforeLifespanEndDays">{t('editor.beforeLifespanEndDays')}</option>
                  </select>
                )}
              </Field>
              <Field label={t('editor.days')} error={err('trigger.timing*')}>
                {(fid) => (
                  <input
                    id={fid}
                    type="number"
                    min={0}
                    max={3650}
                    required
                    value={model.timingDays}
                    onInput={input('timingDays')}
                  />
                )}
              </Field>
              <Field label={t('editor.skus')} hint={t('editor.listHint')} error={err('trigger.products*')}>
                {(fid, hint) => (
                  <input id={fid} aria-describedby={hint} value={model.skus} onInput={input('skus')} />
                )}
              </Field>
              <Field
                label={t('editor.categories')}
                hint={t('editor.listHint')}
                error={err('trigger.products.categories*')}
              >
                {(fid, hint) => (
                  <input
                    id={fid}
                    aria-describedby={hint}
                    value={model.categories}
                    onInput={input('categories')}
                  />
                )}
              </Field>
            </fieldset>
          ) : (
            <fieldset>
              <legend>{t('editor.schedule')}</legend>
              <Field label={t('editor.scheduleType')} error={err('schedule')}>
                {(fid) => (
                  <select id={fid} value={model.scheduleType} onChange={input('scheduleType')}>
                    <option value="at">{t('editor.once')}</option>
                    <option value="cron">{t('editor.repeat')}</option>
                  </select>
                )}
              </Field>
              {model.scheduleType === 'at' ? (
                <Field
                  label={t('editor.at')}
                  hint={t('editor.atHint', { zone: viewerZone() })}
                  error={err('schedule.at')}
                >
                  {(fid, hint) => (
                    <input
                      id={fid}
                      type="datetime-local"
                      aria-describedby={hint}
                      required
                      value={model.at}
                      onInput={input('at')}
                    />
                  )}
                </Field>
              ) : (
                <>
                  <Field label={t('editor.cron')} hint={t('editor.cronHint')} error={err('schedule.cron')}>
                    {(fid, hint) => (
                      <input
                        id={fid}
                        aria-describedby={hint}
                        required
                        value={model.cron}
                        onInput={input('cron')}
                      />
                    )}
                  </Field>
                  <Field label={t('editor.timezone')} error={err('schedule.timezone')}>
                    {(fid) => <input id={fid} required value={model.cronZone} onInput={input('cronZone')} />}
                  </Field>
                </>
              )}
            </fieldset>
          )}

          <fieldset>
            <legend>{t('editor.delivery')}</legend>
            <Field label={t('editor.sendAt')} hint={t('editor.recipientTime')} error={err('sendAt')}>
              {(fid, hint) => (
                <input
                  id={fid}
                  type="time"
                  aria-describedby={hint}
                  value={model.sendAt}
                  onInput={input('sendAt')}
                />
              )}
            </Field>
            <Field label={t('editor.windowStart')} error={err('sendWindow', 'sendWindow.start')}>
              {(fid) => (
                <input id={fid} type="time" value={model.windowStart} onInput={input('windowStart')} />
              )}
            </Field>
            <Field label={t('editor.windowEnd')} error={err('sendWindow.end')}>
              {(fid) => <input id={fid} type="time" value={model.windowEnd} onInput={input('windowEnd')} />}
            </Field>
            <Field label={t('editor.audience')} hint={t('editor.audienceHint')} wide error={err('audience*')}>
              {(fid, hint) => (
                <textarea
                  id={fid}
                  class="code"
                  rows={3}
                  aria-describedby={hint}
                  placeholder='{ "region": ["Beijing"] }'
                  value={model.audience}
                  onInput={input('audience')}
                />
              )}
            </Field>
          </fieldset>

          <EffectFields model={model} set={(patch) => setModel((m) => ({ ...m, ...patch }))} err={err} />

          <fieldset>
            <legend>{t('editor.message')}</legend>
            <div class="field check wide">
              <input
                id="use-variants"
                type="checkbox"
                checked={model.useVariants}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  setModel((m) => ({
                    ...m,
                    useVariants: on,
                    variants: on && m.variants.length === 0 ? startVariants(m.subject, m.body) : m.variants,
                  }));
                }}
              />
              <label for="use-variants">{t('effect.useVariants')}</label>
            </div>
            {model.useVariants ? (
              <VariantFields
                rows={model.variants}
                email={model.channel === 'email'}
                onChange={(variants) => set('variants', variants)}
                err={err}
              />
            ) : (
              <>
                {model.channel === 'email' && (
                  <Field label={t('editor.subject')} wide error={err('message.subject')}>
                    {(fid, hint) => (
                      <input
                        id={fid}
                        required
                        aria-describedby={hint}
                        value={model.subject}
                        onInput={input('subject')}
                      />
                    )}
                  </Field>
                )}
                <Field
                  label={t('editor.body')}
                  hint={t('editor.bodyHint')}
                  wide
                  error={err('message', 'message.body')}
                >
                  {(fid, hint) => (
                    <textarea
                      id={fid}
                      rows={5}
                      required
                      aria-describedby={hint}
                      value={model.body}
                      onInput={input('body')}
                    />
                  )}
                </Field>
              </>
            )}
            {model.byInterest.map((block, i) => (
              <div class="interest" key={i}>
                <Field label={t('editor.interest')}>
                  {(fid) => (
                    <input
                      id={fid}
                      value={block.interest}
                      onInput={(e) => {
                        const byInterest = [...model.byInterest];
                        byInterest[i] = { ...block, interest: (e.target as HTMLInputElement).value };
                        set('byInterest', byInterest);
                      }}
                    />
                  )}
                </Field>
                <Field label={t('editor.advice')} wide>
                  {(fid) => (
                    <textarea
                      id={fid}
                      rows={2}
                      value={block.text}
                      onInput={(e) => {
                        const byInterest = [...model.byInterest];
                        byInterest[i] = { ...block, text: (e.target as HTMLTextAreaElement).value };
                        set('byInterest', byInterest);
                      }}
                    />
                  )}
                </Field>
                <button
                  type="button"
                  onClick={() =>
                    set(
                      'byInterest',
                      model.byInterest.filter((_, j) => j !== i),
                    )
                  }
                >
                  {t('editor.removeInterest')}
                </button>
              </div>
            ))}
            <button
              type="button"
              onClick={() => set('byInterest', [...model.byInterest, { interest: '', text: '' }])}
            >
              {t('editor.addInterest')}
            </button>
          </fieldset>
          <Problem error={error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={saving}>
              {t('common.save')}
            </button>
            <a class="button" href={id ? `#/campaigns/${id}` : '#/campaigns'}>
              {t('common.cancel')}
            </a>
          </div>
        </form>
        <Preview model={debouncedModel} />
      </div>
    </>
  );
};

const useDebounced = <T,>(value: T, ms: number) => {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return useMemo(() => current, [current]);
};
