import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the peers need, installed from the npm registry at run time (never project dependencies). */
const PACKAGES = [
  'discord-player@7.2.0',
  '@discord-player/extractor@7.2.0',
  'discord.js@14.28.1',
  '@discordjs/voice@0.19.2',
  '@snazzah/davey@0.1.12',
  'opusscript@0.0.8',
  'mediaplex@1.0.0',
];

/**
 * A folder outside the repository (BENCH_PEERS_DIR, default under the temp dir) with the peer bots and
 * their packages; installed once, reused by later runs. Returns the folder.
 */
export function installPeers(): string {
  const dir = process.env.BENCH_PEERS_DIR ?? join(tmpdir(), 'unified-music-bench-peers');
  mkdirSync(dir, { recursive: true });
  const stamp = join(dir, `installed-${PACKAGES.join(',').replace(/[^a-z0-9.@,-]/gi, '_')}`);
  if (!existsSync(stamp)) {
    writeFileSync(join(dir, 'package.json'), '{"name":"um-bench-peers","private":true,"type":"module"}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...PACKAGES], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    writeFileSync(stamp, '');
  }
  for (const file of ['plain-bot.mjs', 'dp-bot.mjs']) {
    copyFileSync(fileURLToPath(new URL(`./${file}`, import.meta.url)), join(dir, file));
  }
  return dir;
}
