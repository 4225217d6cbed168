/** Dates and numbers for the viewer: their language, their zone, unless a zone is named. */
export const formatDateTime = (iso: string | undefined, lang: string, timeZone?: string) => {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // dateStyle/timeStyle cannot be combined with timeZoneName, so a named zone spells the parts out.
  return new Intl.DateTimeFormat(
    lang,
    timeZone
      ? {
          year: 'numeric',
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZone,
          timeZoneName: 'short',
        }
      : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(date);
};

export const formatDay = (iso: string, lang: string) =>
  new Intl.DateTimeFormat(lang, { month: 'short', day: 'numeric' }).format(new Date(iso));

export const formatPercent = (share: number, lang: string) =>
  new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(share);

export const formatNumber = (value: number, lang: string) => new Intl.NumberFormat(lang).format(value);

export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An <input type="datetime-local"> value (viewer's zone) as ISO with the viewer's offset, as the API wants. */
export const localInputToIso = (value: string): string => {
  const date = new Date(value);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${value.length === 16 ? `${value}:00` : value}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
};

export const isoToLocalInput = (iso: string | undefined): string => {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

export const splitList = (text: string) =>
  text
    .split(/[,，\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

export const formatDecimal = (value: number, lang: string) =>
  new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(value);

/** A difference of two rates, in percentage points with its sign (+4.2). */
export const formatPoints = (share: number, lang: string) =>
  new Intl.NumberFormat(lang, { maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(share * 100);
