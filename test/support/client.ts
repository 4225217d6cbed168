import type { Role } from '../../shared/domain/principal.ts';

/** A minimal outside client: what a new user of the API would do with fetch. */
export const apiClient = (baseUrl: string) => {
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      // biome-ignore lint/suspicious/noExplicitAny: test payloads are checked field by field
      body: (text ? JSON.parse(text) : undefined) as any,
    };
  };
  return {
    call,
    token: async (role: Role, sub?: string): Promise<string> => {
      const response = await call('POST', '/_local/token', { body: { role, ...(sub ? { sub } : {}) } });
      if (response.status !== 200) throw new Error(`token: ${response.status}`);
      return response.body.token;
    },
  };
};
