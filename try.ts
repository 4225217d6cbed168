import { parseReply } from './shared/domain/reply-parser.ts';

for (const l of process.argv.slice(2)) {
  const [scale, text] = l.includes('|') ? l.split('|') : ['binary', l];
  console.log(JSON.stringify(text), scale, JSON.stringify(parseReply(text, scale as any)));
}
