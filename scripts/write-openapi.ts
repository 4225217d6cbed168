import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../shared/http/openapi.ts';

const target = process.argv[2] ?? 'openapi.json';
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
