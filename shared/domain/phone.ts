import type { CountryCode } from 'libphonenumber-js/min';

/**
 * The phone metadata is the largest thing a customer write needs, and most requests never touch a
 * phone; loading it on first use keeps it out of every cold start.
 */
let library: Promise<typeof import('libphonenumber-js/min')> | undefined;

/**
 * Returns the E.164 form of a phone number, or undefined when it cannot be read unambiguously.
 * A number without a country code is read in `defaultCountry` only when the deployment sets one.
 */
export const toE164 = async (input: string, defaultCountry?: string): Promise<string | undefined> => {
  const trimmed = input.trim().replace(/^00/, '+');
  const country = trimmed.startsWith('+') ? undefined : (defaultCountry as CountryCode | undefined);
  if (!trimmed.startsWith('+') && !country) return undefined;
  library ??= import('libphonenumber-js/min');
  const parsed = (await library).parsePhoneNumberFromString(trimmed, country);
  return parsed?.isValid() ? parsed.number : undefined;
};
