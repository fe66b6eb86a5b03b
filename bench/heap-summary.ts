/**
 * `node bench/heap-summary.ts <file.heapsnapshot> [top]`: the self size of a V8 heap snapshot by
 * constructor (objects) or node type (strings, arrays, code...), largest first, as a Markdown table.
 * Used with the fleet bench's BENCH_HEAP_SNAPSHOT to see where an idle guild's memory goes.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] }; node_count: number };
  nodes: number[];
  strings: string[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/heap-summary.ts <file.heapsnapshot> [top]');
const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const width = fields.length;
const typeAt = fields.indexOf('type');
const nameAt = fields.indexOf('name');
const sizeAt = fields.indexOf('self_size');
const groups = new Map<string, { count: number; bytes: number }>();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = types[snap.nodes[i + typeAt]!]!;
  const name = snap.strings[snap.nodes[i + nameAt]!]!;
  const size = snap.nodes[i + sizeAt]!;
  const key = type === 'object' || type === 'closure' ? `${name} (${type})` : `(${type})`;
  const g = groups.get(key) ?? { count: 0, bytes: 0 };
  g.count += 1;
  g.bytes += size;
  groups.set(key, g);
  total += size;
}
const top = [...groups.entries()].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, Number(topArg ?? 25));
console.log(`Heap snapshot ${file}: ${(total / 1024 / 1024).toFixed(1)} MB self size in all\n`);
console.log('| what | count | MB | share |');
console.log('|---|---:|---:|---:|');
for (const [key, g] of top) {
  console.log(
    `| ${key} | ${g.count.toLocaleString('en-US')} | ${(g.bytes / 1024 / 1024).toFixed(2)} | ${((100 * g.bytes) / total).toFixed(1)}% |`,
  );
}
