/**
 * A preview renderer for the message editor: {{path}}, {{{path}}}, {{! comments}}, {{#if}}/{{#unless}}
 * with {{else}}, and {{#each}} over lists. Handlebars itself compiles templates with `new Function`,
 * which the console's CSP forbids (no 'unsafe-eval'); the server renders the real message with
 * Handlebars and checks every template when the campaign is saved, so this is labelled a preview.
 */
type Scope = Record<string, unknown>;

const lookup = (scope: Scope, path: string): unknown => {
  if (path === 'this' || path === '.') return scope.this ?? scope;
  return path
    .replace(/^this\./, '')
    .split('.')
    .reduce<unknown>(
      (value, key) => (value && typeof value === 'object' ? (value as Scope)[key] : undefined),
      scope,
    );
};

const truthy = (value: unknown) => (Array.isArray(value) ? value.length > 0 : Boolean(value));

const escapeHtml = (text: string) => text; // plain-text preview: the page shows text, never HTML

const renderSection = (template: string, scope: Scope): string => {
  let out = '';
  let rest = template;
  const open = /\{\{#(if|unless|each)\s+([\w.]+)\s*\}\}/;
  for (;;) {
    const found = open.exec(rest);
    if (!found) return out + renderTags(rest, scope);
    out += renderTags(rest.slice(0, found.index), scope);
    const [tag, helper, path] = found as unknown as [string, string, string];
    // Find the matching close, counting nested blocks of the same helper.
    let depth = 1;
    let i = found.index + tag.length;
    const token = new RegExp(`\\{\\{(#${helper}\\b[^}]*|/${helper})\\}\\}`, 'g');
    token.lastIndex = i;
    let close: RegExpExecArray | null = null;
    for (let m = token.exec(rest); m; m = token.exec(rest)) {
      depth += m[1]?.startsWith('#') ? 1 : -1;
      if (depth === 0) {
        close = m;
        break;
      }
    }
    if (!close) return out + rest.slice(found.index);
    const inner = rest.slice(i, close.index);
    i = close.index + close[0].length;
    const [whenTrue, whenFalse = ''] = splitElse(inner);
    const value = lookup(scope, path);
    if (helper === 'each') {
      const list = Array.isArray(value) ? value : [];
      out += list.length
        ? list
            .map((item) =>
              renderSection(whenTrue, {
                ...scope,
                this: item,
                ...(item && typeof item === 'object' ? item : {}),
              }),
            )
            .join('')
        : renderSection(whenFalse, scope);
    } else {
      const show = helper === 'if' ? truthy(value) : !truthy(value);
      out += renderSection(show ? whenTrue : whenFalse, scope);
    }
    rest = rest.slice(i);
  }
};

const splitElse = (inner: string): [string, string?] => {
  let depth = 0;
  const token = /\{\{(#\w+[^}]*|\/\w+|else)\}\}/g;
  for (let m = token.exec(inner); m; m = token.exec(inner)) {
    if (m[1]?.startsWith('#')) depth++;
    else if (m[1]?.startsWith('/')) depth--;
    else if (depth === 0) return [inner.slice(0, m.index), inner.slice(m.index + m[0].length)];
  }
  return [inner];
};

const renderTags = (text: string, scope: Scope) =>
  text
    .replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, '')
    .replace(/\{\{\{?\s*([\w.]+)\s*\}?\}\}/g, (_m, path: string) => {
      const value = lookup(scope, path);
      return value === undefined || value === null ? '' : escapeHtml(String(value));
    });

export const renderPreview = (template: string, scope: Scope) => renderSection(template, scope);

/** The `{{interestAdvice}}` the server builds: the byInterest blocks for the customer's own interests. */
export const interestAdvice = (byInterest: Record<string, string> | undefined, interests: string[]) =>
  Object.entries(byInterest ?? {})
    .filter(([interest]) => interests.includes(interest))
    .map(([, block]) => block)
    .join('\n\n');
