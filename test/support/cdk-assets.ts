import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';

/** The bundle CDK staged for a function (the first whose logical id starts with `idPrefix`), as deployed. */
export const functionBundle = (app: App, template: Template, idPrefix: string): string => {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(idPrefix),
  );
  const key = (found?.[1] as { Properties?: { Code?: { S3Key?: string } } } | undefined)?.Properties?.Code
    ?.S3Key;
  if (!key) throw new Error(`no bundled function ${idPrefix}* in the template`);
  return readFileSync(join(app.outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
};
