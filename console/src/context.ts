import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api.ts';
import type { Session } from './auth.ts';
import type { ConsoleConfig } from './config.ts';
import type { Lang, Translate } from './i18n.ts';

export interface AppContext {
  config: ConsoleConfig;
  session: Session;
  api: Api;
  lang: Lang;
  t: Translate;
}

export const App = createContext<AppContext | undefined>(undefined);

export const useApp = (): AppContext => {
  const context = useContext(App);
  if (!context) throw new Error('useApp outside the signed-in app');
  return context;
};
