const IANA_NAME = /^(?:UTC|[A-Z][A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2})$/;

/** True for IANA zone names such as Asia/Shanghai; false for offsets ("+08:00") and abbreviations. */
export const isIanaTimeZone = (name: string): boolean => {
  if (!IANA_NAME.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

export const isLocale = (tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

/** Output timestamps are always UTC. */
export const toUtcIso = (timestamp: string): string => new Date(timestamp).toISOString();
