/** Runtime settings, read from config.json next to index.html so one build serves every deployment. */
export interface ConsoleConfig {
  /** Base URL of the HTTP API; empty means this origin (the local runtime serves both). */
  apiUrl: string;
  mode: 'local' | 'cognito';
  cognito?: {
    /** The managed login domain, e.g. crm-123.auth.ap-east-1.amazoncognito.com */
    domain: string;
    clientId: string;
  };
}

export const loadConfig = async (): Promise<ConsoleConfig> => {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  const config = (await response.json()) as ConsoleConfig;
  return { ...config, apiUrl: config.apiUrl.replace(/\/$/, '') };
};
