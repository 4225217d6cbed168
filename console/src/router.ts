import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (#/campaigns/…). Locally the console and the API share one origin, where /customers
 * already means the API's route; keeping the console's paths after the # needs no content
 * negotiation on the server and no rewrite rules in CloudFront.
 */
const current = () => location.hash.replace(/^#/, '') || '/';

export const useRoute = () => {
  const [path, setPath] = useState(current);
  useEffect(() => {
    const update = () => setPath(current());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return path;
};

export const navigate = (path: string) => {
  location.hash = path;
};

/** Matches '/campaigns/:id' against a path; the params or undefined. */
export const matchRoute = (pattern: string, path: string): Record<string, string> | undefined => {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:(\w+)/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  const found = regex.exec(path.split('?')[0] ?? '');
  if (!found) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]));
};
