/**
 * `node bench/heap-summary.ts <file.heapsnapshot> [baseline.heapsnapshot]`: the self size of a V8 heap
 * snapshot by constructor (objects, closures) or node type (strings, arrays, code...), largest first, as
 * a Markdown table; with a baseline, what the first snapshot holds beyond it. Used with the fleet
 * bench's BENCH_HEAP_SNAPSHOT to see where idle guilds' memory goes.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

type Groups = Map<string, { count: number; bytes: number }>;

function summarize(file: string): Groups {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups: Groups = new Map();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const name = snap.strings[snap.nodes[i + nameAt]!]!;
    const key = type === 'object' || type === 'closure' ? `${name} (${type})` : `(${type})`;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count += 1;
    g.bytes += snap.nodes[i + sizeAt]!;
    groups.set(key, g);
  }
  return groups;
}

const [file, baseFile] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/heap-summary.ts <file.heapsnapshot> [baseline.heapsnapshot]');
const groups = summarize(file);
const base: Groups = baseFile ? summarize(baseFile) : new Map();
const rows = [...groups.entries()].map(([key, g]) => {
  const b = base.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: g.count - b.count, bytes: g.bytes - b.bytes };
});
const total = rows.reduce((sum, r) => sum + r.bytes, 0);
const mb = (n: number) => (n / 1024 / 1024).toFixed(2);
console.log(`${file}${baseFile ? ` beyond ${baseFile}` : ''}: ${mb(total)} MB self size\n`);
console.log('| what | count | MB | share |');
console.log('|---|---:|---:|---:|');
for (const r of rows.sort((a, b) => b.bytes - a.bytes).slice(0, 25)) {
  console.log(
    `| ${r.key} | ${r.count.toLocaleString('en-US')} | ${mb(r.bytes)} | ${((100 * r.bytes) / total).toFixed(1)}% |`,
  );
}
