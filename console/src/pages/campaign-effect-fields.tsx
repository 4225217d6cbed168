import { useApp } from '../context.ts';
import { splitList } from '../format.ts';
import type { Campaign, Goal, Message, Variant } from '../types.ts';
import { Field } from '../ui.tsx';

/** The editor's holdout, conversion goal and variants, as the form holds them (strings where typed). */
export interface EffectModel {
  holdoutPercent: number;
  /** '' is no goal. */
  goalType: '' | 'any' | 'sameCategory' | 'skus' | 'categories';
  goalSkus: string;
  goalCategories: string;
  goalDays: number;
  useVariants: boolean;
  variants: VariantRow[];
}
export interface VariantRow {
  name: string;
  weight: number | string;
  subject: string;
  body: string;
}

export const blankEffect = (): EffectModel => ({
  holdoutPercent: 0,
  goalType: '',
  goalSkus: '',
  goalCategories: '',
  goalDays: 30,
  useVariants: false,
  variants: [],
});

const goalTypeOf = (goal: Goal | undefined): EffectModel['goalType'] => {
  if (!goal) return '';
  const p = goal.purchase ?? {};
  if (p.sameCategory) return 'sameCategory';
  if (p.skus?.length) return 'skus';
  if (p.categories?.length) return 'categories';
  return 'any';
};

export const effectFromCampaign = (c: Campaign): EffectModel => ({
  holdoutPercent: c.holdoutPercent ?? 0,
  goalType: goalTypeOf(c.goal),
  goalSkus: c.goal?.purchase?.skus?.join(', ') ?? '',
  goalCategories: c.goal?.purchase?.categories?.join(', ') ?? '',
  goalDays: c.goal?.withinDays ?? 30,
  useVariants: Boolean(c.variants?.length),
  variants: (c.variants ?? []).map((v) => ({
    name: v.name,
    weight: v.weight,
    subject: v.message.subject ?? '',
    body: v.message.body,
  })),
});

/** Two even variants to start from, the first carrying the message written so far. */
export const startVariants = (subject: string, body: string): VariantRow[] => [
  { name: 'A', weight: 50, subject, body },
  { name: 'B', weight: 50, subject: '', body: '' },
];

/**
 * The API fields for holdout, goal and variants. A field the campaign never had and the form leaves
 * at its default is left out; one it had and the form clears is sent as null (PATCH removes it).
 */
export const effectBody = (
  m: EffectModel,
  message: Message,
  had: { holdout: boolean; goal: boolean; variants: boolean },
  patch: boolean,
) => {
  const goal: Goal | undefined =
    m.goalType === ''
      ? undefined
      : {
          purchase:
            m.goalType === 'sameCategory'
              ? { sameCategory: true }
              : m.goalType === 'skus'
                ? { skus: splitList(m.goalSkus) }
                : m.goalType === 'categories'
                  ? { categories: splitList(m.goalCategories) }
                  : {},
          withinDays: Number(m.goalDays),
        };
  // Weights go as typed: the server owns the rule (and names the bad field), a blank one stays blank.
  const variants: Variant[] = m.variants.map((v) => ({
    name: v.name,
    weight: v.weight === '' ? (undefined as unknown as number) : Number(v.weight),
    message: {
      ...(v.subject || message.subject !== undefined ? { subject: v.subject } : {}),
      body: v.body,
      ...(message.byInterest ? { byInterest: message.byInterest } : {}),
    },
  }));
  return {
    ...(Number(m.holdoutPercent) || had.holdout ? { holdoutPercent: Number(m.holdoutPercent) } : {}),
    ...(goal ? { goal } : patch && had.goal ? { goal: null } : {}),
    ...(m.useVariants
      ? { variants, ...(patch && !had.variants ? { message: null } : {}) }
      : { message, ...(patch && had.variants ? { variants: null } : {}) }),
  };
};

type Errors = (...paths: string[]) => string | undefined;

export const EffectFields = ({
  model,
  set,
  err,
}: {
  model: EffectModel;
  set: (patch: Partial<EffectModel>) => void;
  err: Errors;
}) => {
  const { t } = useApp();
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <fieldset>
      <legend>{t('effect.legend')}</legend>
      <Field label={t('effect.holdout')} hint={t('effect.holdoutHint')} error={err('holdoutPercent')}>
        {(fid, hint) => (
          <input
            id={fid}
            type="number"
            min={0}
            max={50}
            step={1}
            aria-describedby={hint}
            value={model.holdoutPercent}
            onInput={(e) => set({ holdoutPercent: value(e) as unknown as number })}
          />
        )}
      </Field>
      <Field label={t('effect.goal')} error={err('goal', 'goal.purchase*')}>
        {(fid, hint) => (
          <select
            id={fid}
            aria-describedby={hint}
            value={model.goalType}
            onChange={(e) => set({ goalType: value(e) as EffectModel['goalType'] })}
          >
            <option value="">{t('effect.goal.none')}</option>
            <option value="any">{t('effect.goal.any')}</option>
            <option value="sameCategory">{t('effect.goal.sameCategory')}</option>
            <option value="skus">{t('effect.goal.skus')}</option>
            <option value="categories">{t('effect.goal.categories')}</option>
          </select>
        )}
      </Field>
      {model.goalType === 'skus' && (
        <Field label={t('effect.goalSkus')} hint={t('effect.listHint')} error={err('goal.purchase.skus*')}>
          {(fid, hint) => (
            <input
              id={fid}
              aria-describedby={hint}
              value={model.goalSkus}
              onInput={(e) => set({ goalSkus: value(e) })}
            />
          )}
        </Field>
      )}
      {model.goalType === 'categories' && (
        <Field
          label={t('effect.goalCategories')}
          hint={t('effect.listHint')}
          error={err('goal.purchase.categories*')}
        >
          {(fid, hint) => (
            <input
              id={fid}
              aria-describedby={hint}
              value={model.goalCategories}
              onInput={(e) => set({ goalCategories: value(e) })}
            />
          )}
        </Field>
      )}
      {model.goalType !== '' && (
        <Field
          label={t('effect.withinDays')}
          hint={t('effect.withinDaysHint')}
          error={err('goal.withinDays')}
        >
          {(fid, hint) => (
            <input
              id={fid}
              type="number"
              min={1}
              required
              aria-describedby={hint}
              value={model.goalDays}
              onInput={(e) => set({ goalDays: value(e) as unknown as number })}
            />
          )}
        </Field>
      )}
    </fieldset>
  );
};

/** One row per variant; the server validates names, weights and templates and names the bad one. */
export const VariantFields = ({
  rows,
  email,
  onChange,
  err,
}: {
  rows: VariantRow[];
  email: boolean;
  onChange: (rows: VariantRow[]) => void;
  err: Errors;
}) => {
  const { t } = useApp();
  const update = (i: number, patch: Partial<VariantRow>) =>
    onChange(rows.map((row, j) => (j === i ? { ...row, ...patch } : row)));
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  const listError = err('variants');
  return (
    <>
      {rows.map((row, i) => (
        <fieldset class="variant" key={i} aria-label={t('effect.variantN', { n: i + 1 })}>
          <legend>{t('effect.variantN', { n: i + 1 })}</legend>
          <Field label={t('effect.variantName')} error={err(`variants.${i}.name`)}>
            {(fid, hint) => (
              <input
                id={fid}
                aria-describedby={hint}
                value={row.name}
                onInput={(e) => update(i, { name: value(e) })}
              />
            )}
          </Field>
          <Field label={t('effect.weight')} hint={t('effect.weightHint')} error={err(`variants.${i}.weight`)}>
            {(fid, hint) => (
              <input
                id={fid}
                type="number"
                aria-describedby={hint}
                value={row.weight}
                onInput={(e) => update(i, { weight: value(e) })}
              />
            )}
          </Field>
          {email && (
            <Field label={t('editor.subject')} wide error={err(`variants.${i}.message.subject`)}>
              {(fid, hint) => (
                <input
                  id={fid}
                  aria-describedby={hint}
                  value={row.subject}
                  onInput={(e) => update(i, { subject: value(e) })}
                />
              )}
            </Field>
          )}
          <Field
            label={t('editor.body')}
            wide
            error={err(`variants.${i}.message.body`, `variants.${i}.message`, `variants.${i}`)}
          >
            {(fid, hint) => (
              <textarea
                id={fid}
                rows={3}
                aria-describedby={hint}
                value={row.body}
                onInput={(e) => update(i, { body: value(e) })}
              />
            )}
          </Field>
          <div class="actions">
            <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              {t('effect.removeVariant', { n: i + 1 })}
            </button>
          </div>
        </fieldset>
      ))}
      {listError && <p class="field-error wide">{listError}</p>}
      <div class="actions wide">
        <button
          type="button"
          onClick={() =>
            onChange([
              ...rows,
              { name: String.fromCharCode(65 + (rows.length % 26)), weight: '', subject: '', body: '' },
            ])
          }
        >
          {t('effect.addVariant')}
        </button>
      </div>
    </>
  );
};
