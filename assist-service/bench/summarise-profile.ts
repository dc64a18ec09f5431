/**
 * Self time by function from a V8 `.cpuprofile` (node --cpu-prof), heaviest first:
 *
 *   node assist-service/bench/summarise-profile.ts <file.cpuprofile> [rows]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, rowArgument = '40'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: summarise-profile.ts <file.cpuprofile> [rows]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) => {
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
});

const where = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const location = url
    ? `${url
        .replace(/^file:\/\//u, '')
        .split(`${path.sep}node_modules${path.sep}`)
        .at(-1)}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'} ${location}`.trim();
};
const totals = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const key = where(byId.get(id)!);
  totals.set(key, (totals.get(key) ?? 0) + micros);
}
const total = [...totals.values()].reduce((sum, value) => sum + value, 0);
const rows = [...totals.entries()].sort((left, right) => right[1] - left[1]).slice(0, Number(rowArgument));
process.stdout.write(`total sampled ${(total / 1000).toFixed(0)} ms\n`);
for (const [name, micros] of rows) {
  process.stdout.write(
    `${(micros / 1000).toFixed(1).padStart(9)} ms ${((micros / total) * 100).toFixed(1).padStart(5)}%  ${name}\n`,
  );
}
