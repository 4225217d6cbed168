import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Returns the E.164 form of a phone number, or undefined when it cannot be read unambiguously.
 * A number without a country code is read in `defaultCountry` only when the deployment sets one.
 */
export const toE164 = (input: string, defaultCountry?: string): string | undefined => {
  const trimmed = input.trim().replace(/^00/, '+');
  const country = trimmed.startsWith('+') ? undefined : (defaultCountry as CountryCode | undefined);
  if (!trimmed.startsWith('+') && !country) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, country);
  return parsed?.isValid() ? parsed.number : undefined;
};
