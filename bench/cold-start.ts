import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundlingOptions, externalModules } from '../infra/constructs/crm-function.ts';
import { fmt, median, ratio, type Section } from './stats.ts';

/** Every Lambda entry, with the SDK clients it creates: the baseline bundle creates only those. */
const FUNCTIONS: Record<string, { entry: string; clients: string[] }> = {
  customers: { entry: 'functions/http/customers.ts', clients: ['dynamodb'] },
  products: { entry: 'functions/http/products.ts', clients: ['dynamodb'] },
  purchases: { entry: 'functions/http/purchases.ts', clients: ['dynamodb'] },
  pipeline: { entry: 'functions/http/pipeline.ts', clients: ['dynamodb'] },
  tasks: { entry: 'functions/http/tasks.ts', clients: ['dynamodb'] },
  automationRules: { entry: 'functions/http/automation.ts', clients: ['dynamodb'] },
  campaigns: { entry: 'functions/http/campaigns.ts', clients: ['dynamodb', 'scheduler'] },
  unsubscribe: { entry: 'functions/http/unsubscribe.ts', clients: ['dynamodb', 'kms'] },
  satisfaction: { entry: 'functions/http/satisfaction.ts', clients: ['dynamodb'] },
  docs: { entry: 'functions/http/docs.ts', clients: [] },
  publishChanges: { entry: 'functions/stream/publish-changes.ts', clients: ['eventbridge'] },
  runAutomation: { entry: 'functions/events/run-automation.ts', clients: ['dynamodb', 'sesv2', 'sns'] },
  planTouchpoints: { entry: 'functions/events/plan-touchpoints.ts', clients: ['dynamodb', 'scheduler'] },
  forgetCustomer: { entry: 'functions/events/forget-customer.ts', clients: ['dynamodb', 'scheduler'] },
  sesFeedback: { entry: 'functions/events/ses-feedback.ts', clients: ['dynamodb'] },
  deliverTouchpoint: {
    entry: 'functions/scheduled/deliver-touchpoint.ts',
    clients: ['dynamodb', 'sesv2', 'sns', 'kms'],
  },
  runBroadcast: { entry: 'functions/scheduled/run-broadcast.ts', clients: ['dynamodb', 'sqs'] },
  sendBroadcast: { entry: 'functions/queue/send-broadcast.ts', clients: ['dynamodb', 'sesv2', 'sns', 'kms'] },
  inboundSms: { entry: 'functions/sns/inbound-sms.ts', clients: ['dynamodb', 'sns'] },
};

const CLIENTS: Record<string, string> = {
  dynamodb:
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; DynamoDBDocumentClient.from(new DynamoDBClient({}));",
  eventbridge: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge'; new EventBridgeClient({});",
  sesv2: "import { SESv2Client } from '@aws-sdk/client-sesv2'; new SESv2Client({});",
  sns: "import { SNSClient } from '@aws-sdk/client-sns'; new SNSClient({});",
  scheduler: "import { SchedulerClient } from '@aws-sdk/client-scheduler'; new SchedulerClient({});",
  kms: "import { KMSClient } from '@aws-sdk/client-kms'; new KMSClient({});",
  sqs: "import { SQSClient } from '@aws-sdk/client-sqs'; new SQSClient({});",
};

const bundle = async (entry: string, outfile: string, minify: boolean) => {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: bundlingOptions.target,
    mainFields: bundlingOptions.mainFields,
    banner: { js: bundlingOptions.banner },
    // As deployed with smsProvider aws. The AWS SDK stays in, unlike the deployed bundle, so the
    // baseline (the same SDK clients alone) measures what the runtime's own copy would cost at init.
    external: externalModules(false).filter((m) => !m.startsWith('@aws-sdk/')),
    minify,
    sourcemap: false,
    logLevel: 'silent',
  });
  return statSync(outfile).size;
};

/** Import a bundle in a fresh process and time module evaluation (the Lambda init phase). */
const timeImport = (file: string) => {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, AWS_REGION: 'us-east-1', LOG_LEVEL: 'SILENT' },
  });
  return Number(out.toString());
};

/** Bundle and baseline alternate, so a busy moment on the machine hits both alike. */
const timeBoth = (file: string, baselineFile: string, runs: number) => {
  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < runs; i++) {
    ours.push(timeImport(file));
    base.push(timeImport(baselineFile));
  }
  return { init: median(ours), baseline: median(base) };
};

export const coldStart = async (runs = 9): Promise<Section> => {
  const dir = join('bench', '.out');
  mkdirSync(dir, { recursive: true });
  const rows = [
    [
      'function',
      'bundle (min)',
      'unminified',
      'baseline unminified',
      'init median',
      'baseline init',
      'ratio',
      'init ≤ 1.5×',
      'size ≤ 1 MiB',
    ],
  ];
  let worst = 0;
  for (const [name, { entry, clients }] of Object.entries(FUNCTIONS)) {
    const file = join(process.cwd(), dir, `${name}.mjs`);
    const size = await bundle(entry, file, true);
    const unminified = await bundle(entry, join(dir, `${name}.unminified.mjs`), false);
    const baselineEntry = join(dir, `${name}.baseline.ts`);
    writeFileSync(
      baselineEntry,
      `${clients.map((c) => CLIENTS[c]).join('\n')}\nexport const handler = async () => ({});\n`,
    );
    const baselineFile = join(process.cwd(), dir, `${name}.baseline.mjs`);
    await bundle(baselineEntry, baselineFile, true);
    const baselineUnminified = await bundle(
      baselineEntry,
      join(dir, `${name}.baseline.unminified.mjs`),
      false,
    );
    const { init, baseline } = timeBoth(file, baselineFile, runs);
    const r = ratio(init, baseline);
    worst = Math.max(worst, r);
    rows.push([
      name,
      `${fmt(size / 1024, 0)} KiB`,
      `${fmt(unminified / 1024, 0)} KiB`,
      `${fmt(baselineUnminified / 1024, 0)} KiB`,
      `${fmt(init)} ms`,
      `${fmt(baseline)} ms`,
      `${fmt(r, 2)}×`,
      r <= 1.5 ? 'met' : 'missed',
      unminified <= 1024 * 1024 ? 'met' : 'missed',
    ]);
  }
  return {
    title: 'Cold start per function',
    rows,
    notes: [
      `Bundled with esbuild and the CDK's options (ESM, node24, minified); init = median of ${runs} fresh \`node\` processes importing the bundle.`,
      'Baseline: a bundle that only imports and creates the SDK clients that function uses. Target: ≤ 1.5× and ≤ 1 MiB unminified.',
      'Handlers create their SDK clients on the first request, so init here is module evaluation only.',
      `Worst ratio: ${fmt(worst, 2)}×. The docs function's baseline creates no client at all, so its ratio compares middy, zod and the OpenAPI document against an empty module.`,
      'Every bundle carries the SDK v3 clients (see the baseline column), which alone approach 1 MiB unminified; the size target is out of reach while the SDK is bundled rather than taken from the Lambda runtime.',
    ],
  };
};
