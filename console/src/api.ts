import type { ConsoleConfig } from './config.ts';

export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem from the API, kept whole so forms can show each field's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[] = [],
  ) {
    super(detail ?? title);
  }
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export type Api = <T>(
  method: string,
  path: string,
  options?: { body?: unknown; headers?: Record<string, string> },
) => Promise<T>;

/** The console's only way to the backend: the public HTTP API with the signed-in user's bearer token. */
export const createApi =
  (config: ConsoleConfig, token: () => string | undefined, onUnauthorized: () => void): Api =>
  async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${config.apiUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    const body = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      if (response.status === 401) onUnauthorized();
      throw new ApiError(response.status, body?.title ?? response.statusText, body?.detail, body?.errors);
    }
    return body;
  };

export const query = (params: Record<string, string | number | undefined>) => {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== '') as [string, string][];
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
};
