import Handlebars from 'handlebars';

/** Templates are plain text (SMS and text email), so nothing is HTML-escaped. */
const engine = Handlebars.create();

export const templateError = (source: string): string | undefined => {
  try {
    engine.precompile(source, { strict: false });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
};

const cache = new Map<string, HandlebarsTemplateDelegate>();

export const renderTemplate = (source: string, context: Record<string, unknown>): string => {
  let template = cache.get(source);
  if (!template) {
    template = engine.compile(source, { noEscape: true });
    cache.set(source, template);
  }
  return template(context);
};
