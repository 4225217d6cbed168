import { NotFoundError } from '../domain/errors.ts';
import type { CrmDependencies } from '../ports/dependencies.ts';

type Deps = Pick<CrmDependencies, 'signer' | 'optOuts' | 'clock'>;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title}</title></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">${body}</body></html>`;

const readToken = async (deps: Deps, token: string) => {
  const payload = await deps.signer.verify(token);
  if (!payload?.ch || !payload.a || (payload.ch !== 'email' && payload.ch !== 'sms'))
    throw new NotFoundError('This unsubscribe link');
  return { channel: payload.ch as 'email' | 'sms', address: payload.a };
};

const mask = (address: string) => address.replace(/^(.{2}).*(@.*|.{2})$/, '$1…$2');

/** GET: a page that asks to confirm; mail scanners that follow links must not unsubscribe anyone. */
export const unsubscribePage = async (deps: Deps, token: string): Promise<string> => {
  const { channel, address } = await readToken(deps, token);
  return page(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop marketing ${channel === 'email' ? 'email' : 'text messages'} to ${escapeHtml(mask(address))}?</p>` +
      `<form method="post"><button type="submit">Unsubscribe</button></form>`,
  );
};

/** POST (the page's button, or RFC 8058 one-click from the mail client): opts the address out. */
export const confirmUnsubscribe = async (deps: Deps, token: string): Promise<string> => {
  const { channel, address } = await readToken(deps, token);
  await deps.optOuts.optOut(channel, address, 'unsubscribe link', deps.clock.now());
  return page(
    'Unsubscribed',
    `<h1>You are unsubscribed</h1><p>${escapeHtml(mask(address))} will get no more marketing messages.</p>`,
  );
};
