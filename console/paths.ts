import { join } from 'node:path';

/** Where the console is built to, and served from by the local runtime. */
export const consoleRoot = import.meta.dirname;
export const defaultConsoleDist = join(consoleRoot, 'dist');
