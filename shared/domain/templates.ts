/**
 * Handlebars, loaded on first use: only a few functions render templates, and keeping the
 * library out of module evaluation keeps it out of every other cold start.
 */
type Engine = ReturnType<typeof import('handlebars')['create']>;
let engine: Promise<Engine> | undefined;

/**
 * Templates are plain text (SMS and text email), so nothing is HTML-escaped. The `log` helper is
 * removed: a marketer's template has no business writing to the function's logs.
 */
const handlebars = (): Promise<Engine> => {
  engine ??= import('handlebars').then((module) => {
    const instance = (module.default ?? module).create();
    instance.unregisterHelper('log');
    return instance;
  });
  return engine;
};

/** What a rendered message may weigh: one SMS of 10 concatenated parts, RFC 5322's line, SES's body. */
export const RENDER_LIMITS = { sms: 1600, subject: 998, emailBodyBytes: 256 * 1024 } as const;

export const templateError = async (source: string): Promise<string | undefined> => {
  try {
    (await handlebars()).precompile(source, { strict: false });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
};

const cache = new Map<string, (context: Record<string, unknown>) => string>();

/** Renders a template; throws when it cannot (a missing partial or helper, a runaway template). */
export const renderTemplate = async (source: string, context: Record<string, unknown>): Promise<string> => {
  let template = cache.get(source);
  if (!template) {
    // log is not a known helper here, so `{{log}}` fails like any unknown helper rather than on a missing function.
    template = (await handlebars()).compile(source, { noEscape: true, knownHelpers: { log: false } });
    cache.set(source, template);
  }
  return template(context);
};

/** A subject is one header line: line breaks would let a template inject headers. */
export const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').trim();

/** What is wrong with a rendered message for its channel: too long for SMS, a subject line or SES. */
export const renderedProblems = (
  channel: 'email' | 'sms',
  rendered: { subject?: string | undefined; body: string },
): { path: string; message: string }[] => {
  const problems: { path: string; message: string }[] = [];
  if (channel === 'sms' && [...rendered.body].length > RENDER_LIMITS.sms) {
    problems.push({
      path: 'message.body',
      message: `renders to ${[...rendered.body].length} characters; an SMS may have at most ${RENDER_LIMITS.sms}`,
    });
  }
  if (channel === 'email' && Buffer.byteLength(rendered.body, 'utf8') > RENDER_LIMITS.emailBodyBytes) {
    problems.push({
      path: 'message.body',
      message: 'renders to more than 256 KiB; an email body may have at most that',
    });
  }
  if (rendered.subject !== undefined && [...rendered.subject].length > RENDER_LIMITS.subject) {
    problems.push({
      path: 'message.subject',
      message: `renders to ${[...rendered.subject].length} characters; a subject may have at most ${RENDER_LIMITS.subject}`,
    });
  }
  return problems;
};
