/**
 * Handlebars, loaded on first use: only a few functions render templates, and keeping the
 * library out of module evaluation keeps it out of every other cold start.
 */
type Engine = ReturnType<typeof import('handlebars')['create']>;
let engine: Promise<Engine> | undefined;

/** Templates are plain text (SMS and text email), so nothing is HTML-escaped. */
const handlebars = (): Promise<Engine> => {
  engine ??= import('handlebars').then((module) => (module.default ?? module).create());
  return engine;
};

export const templateError = async (source: string): Promise<string | undefined> => {
  try {
    (await handlebars()).precompile(source, { strict: false });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
};

const cache = new Map<string, (context: Record<string, unknown>) => string>();

export const renderTemplate = async (source: string, context: Record<string, unknown>): Promise<string> => {
  let template = cache.get(source);
  if (!template) {
    template = (await handlebars()).compile(source, { noEscape: true });
    cache.set(source, template);
  }
  return template(context);
};
