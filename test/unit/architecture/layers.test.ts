import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * A test of our rule file (.dependency-cruiser.cjs), not of dependency-cruiser: small trees laid out
 * like ours, each with one deliberate wrong import, must be refused by the rule meant for it; the
 * allowed imports and the real tree must pass.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSCONFIG = join(ROOT, 'tsconfig.json');

type Tree = Record<string, string>;
interface Violation {
  rule: string;
  from: string;
  to: string;
}

let options: ICruiseOptions;
let tsConfig: unknown;
let scratch: string;
let trees = 0;

beforeAll(async () => {
  options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  options.tsConfig = { fileName: TSCONFIG };
  tsConfig = extractTSConfig(TSCONFIG);
  scratch = await mkdtemp(join(tmpdir(), 'layers-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Cruises `dirs` under `baseDir` with our rules and returns every violation. */
async function violations(baseDir: string, dirs: string[]): Promise<Violation[]> {
  const { output } = await cruise(dirs, { ...options, baseDir }, {}, { tsConfig });
  const result = output as ICruiseResult;
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

/** Writes a fixture tree (paths relative to the repo root) beside a link to our node_modules. */
async function check(tree: Tree): Promise<Violation[]> {
  trees += 1;
  const dir = join(scratch, `tree-${trees}`);
  for (const [path, text] of Object.entries(tree)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  // Packages resolve as they do in the repo, so that `discord.js` is a real package here too.
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const dirs = ['src', 'commands'].filter((d) => Object.keys(tree).some((p) => p.startsWith(`${d}/`)));
  return violations(dir, dirs);
}

const imports = (...paths: string[]) =>
  `${paths.map((p, i) => `import * as m${i} from '${p}';`).join('\n')}\nexport const uses = [${paths.map((_, i) => `m${i}`).join(', ')}];\n`;

/**
 * Imports that the layers allow, one or more per layer: the composition root takes anything, commands
 * and both front ends call down, a route file in a service folder uses the HTTP helpers, services
 * import lower services, stores and core.
 */
const allowed: Tree = {
  'src/main.ts': imports('./app.ts', './config/index.ts'),
  'src/app.ts': imports('../commands/index.ts', './discord/bot.ts', './http/server.ts', './app/deploy.ts'),
  'src/app/deploy.ts': imports('../../commands/index.ts', '../discord/bot.ts'),
  'commands/index.ts': imports('./play.ts'),
  'commands/play.ts': imports(
    'discord.js',
    '../src/discord/command.ts',
    '../src/actions/add.ts',
    '../src/queue/service.ts',
    '../src/storage/db/settings.ts',
    '../src/core/errors.ts',
  ),
  'src/discord/bot.ts': imports('discord.js', './command.ts', '../actions/add.ts'),
  'src/discord/voice.ts': imports('@discordjs/voice', '../playback/ports.ts'),
  'src/discord/command.ts': imports('discord-api-types/v10', '../queue/service.ts'),
  'src/http/server.ts': imports('./routes/queue.ts', '../overlay/routes.ts', '../spotify/routes.ts'),
  'src/http/router.ts': 'export const router = 1;\n',
  'src/http/routes/queue.ts': imports('../router.ts', '../../actions/add.ts', '../../queue/service.ts'),
  'src/overlay/routes.ts': imports('../http/router.ts', './hub.ts', './page.ts', '../actions/add.ts'),
  'src/overlay/page.ts': imports('../http/router.ts', './page-client.ts'),
  'src/overlay/page-client.ts': 'export const client = 1;\n',
  'src/spotify/routes.ts': imports('../http/router.ts', './service.ts', '../config/index.ts'),
  'src/actions/add.ts': imports(
    '../providers/registry.ts',
    '../queue/service.ts',
    '../storage/db/settings.ts',
  ),
  'src/overlay/hub.ts': imports(
    '../radio/events.ts',
    '../queue/events.ts',
    '../playback/player.ts',
    '../mode/c.ts',
  ),
  'src/radio/events.ts': imports('./icy.ts'),
  'src/radio/icy.ts': imports('../providers/sniff.ts', '../net/fetch.ts'),
  'src/providers/registry.ts': imports('../spotify/service.ts', './sniff.ts', '../queue/service.ts'),
  'src/providers/sniff.ts': 'export const sniff = 1;\n',
  'src/spotify/service.ts': imports('../playback/player.ts', '../storage/db/settings.ts'),
  'src/playback/player.ts': imports('./ports.ts', '../queue/service.ts'),
  'src/playback/ports.ts': imports('../core/track.ts'),
  'src/queue/service.ts': imports('./events.ts', '../storage/queue/store.ts', '../mode/c.ts'),
  'src/queue/events.ts': imports('../core/track.ts'),
  'src/mode/c.ts': imports('../core/errors.ts'),
  'src/storage/queue/store.ts': imports('../../core/track.ts', 'ioredis'),
  'src/storage/db/settings.ts': imports('../../core/errors.ts'),
  'src/config/index.ts': imports('../net/fetch.ts', '../core/errors.ts'),
  'src/net/fetch.ts': imports('../core/errors.ts'),
  'src/core/track.ts': imports('./errors.ts'),
  'src/core/errors.ts': 'export class UserError extends Error {}\n',
};

/** The allowed tree with `file` added (or replaced) importing `targets`. */
const withImport = (file: string, ...targets: string[]): Tree => ({
  ...allowed,
  [file]: imports(...targets),
});

describe('the layer rules (.dependency-cruiser.cjs)', () => {
  it('let every layer import downwards, the root import anything, and a route file use the HTTP helpers', async () => {
    expect(await check(allowed)).toEqual([]);
  });

  it('need no src/actions/ folder to exist', async () => {
    const tree = Object.fromEntries(
      Object.entries(allowed)
        .filter(([path]) => !path.startsWith('src/actions/'))
        .map(([path, text]) => [
          path,
          text.replace(/import \* as m\d+ from '[./]*(src\/)?actions\/add\.ts';/g, ''),
        ]),
    );
    expect(await check(tree)).toEqual([]);
  });

  describe('refuse an import against the layer order', () => {
    const cases: [string, string, string[], string, string][] = [
      [
        'a service importing the Discord adapter',
        'src/queue/x.ts',
        ['../discord/bot.ts'],
        'services-not-up',
        'src/discord/bot.ts',
      ],
      [
        'a service importing an action',
        'src/playback/x.ts',
        ['../actions/add.ts'],
        'services-not-up',
        'src/actions/add.ts',
      ],
      [
        'a service importing an HTTP helper',
        'src/overlay/events.ts',
        ['../http/router.ts'],
        'services-not-up',
        'src/http/router.ts',
      ],
      [
        'a service importing the composition root',
        'src/mode/x.ts',
        ['../app.ts'],
        'services-not-up',
        'src/app.ts',
      ],
      [
        'the Discord adapter importing a command',
        'src/discord/deploy.ts',
        ['../../commands/index.ts'],
        'discord-not-up',
        'commands/index.ts',
      ],
      [
        'the Discord adapter importing an HTTP route',
        'src/discord/x.ts',
        ['../http/routes/queue.ts'],
        'discord-not-up',
        'src/http/routes/queue.ts',
      ],
      [
        'an HTTP route importing the Discord adapter',
        'src/http/routes/x.ts',
        ['../../discord/bot.ts'],
        'http-not-up',
        'src/discord/bot.ts',
      ],
      [
        'a route file in a service folder importing a command',
        'src/spotify/routes.ts',
        ['../../commands/play.ts'],
        'http-not-up',
        'commands/play.ts',
      ],
      [
        'a command importing an HTTP route',
        'commands/x.ts',
        ['../src/http/routes/queue.ts'],
        'commands-not-up',
        'src/http/routes/queue.ts',
      ],
      [
        'an action importing the Discord adapter',
        'src/actions/x.ts',
        ['../discord/command.ts'],
        'actions-not-up',
        'src/discord/command.ts',
      ],
      [
        'an action importing an HTTP route',
        'src/actions/x.ts',
        ['../overlay/routes.ts'],
        'actions-not-up',
        'src/overlay/routes.ts',
      ],
      [
        'a store importing a service',
        'src/storage/queue/x.ts',
        ['../../queue/service.ts'],
        'stores-only-core',
        'src/queue/service.ts',
      ],
      [
        'config importing a service',
        'src/config/x.ts',
        ['../spotify/service.ts'],
        'core-only-core',
        'src/spotify/service.ts',
      ],
      [
        'core importing a store',
        'src/core/x.ts',
        ['../storage/db/settings.ts'],
        'core-only-core',
        'src/storage/db/settings.ts',
      ],
    ];
    it.each(cases)('%s', async (_, file, targets, rule, to) => {
      expect(await check(withImport(file, ...targets))).toEqual([{ rule, from: file, to }]);
    });
  });

  describe('keep the services in their order', () => {
    it('refuse a producer importing a type from its consumer (the radio and the overlay hub)', async () => {
      const tree = {
        ...allowed,
        'src/radio/x.ts': "import type { Hub } from '../overlay/hub.ts';\nexport type H = Hub;\n",
      };
      expect(await check(tree)).toEqual([
        { rule: 'services-in-order', from: 'src/radio/x.ts', to: 'src/overlay/hub.ts' },
      ]);
    });

    it('refuse two service folders importing each other even when no module closes a circle', async () => {
      // providers/registry.ts imports spotify/service.ts; this import goes the other way.
      const found = await check(withImport('src/spotify/wiring.ts', '../providers/sniff.ts'));
      expect(found).toEqual([
        { rule: 'services-in-order', from: 'src/spotify/wiring.ts', to: 'src/providers/sniff.ts' },
      ]);
    });
  });

  it('refuse an import circle, even one inside a folder', async () => {
    const tree = {
      ...allowed,
      'src/queue/a.ts': imports('./b.ts'),
      'src/queue/b.ts': imports('./a.ts'),
    };
    const found = await check(tree);
    // The circle is reported once, at whichever of its two imports the cruise meets first.
    expect(found).toHaveLength(1);
    expect(found[0]?.rule).toBe('no-cycle');
    expect([found[0]?.from, found[0]?.to].sort()).toEqual(['src/queue/a.ts', 'src/queue/b.ts']);
  });

  describe('keep Discord at the edge', () => {
    it.each([
      ['a service importing discord.js', 'src/queue/x.ts', 'discord.js'],
      ['the composition root importing discord.js', 'src/app/x.ts', 'discord.js'],
      ['an action importing @discordjs/voice', 'src/actions/x.ts', '@discordjs/voice'],
      ['an HTTP route importing discord-api-types', 'src/http/routes/x.ts', 'discord-api-types/v10'],
    ])('refuse %s', async (_, file, pkg) => {
      const found = await check(withImport(file, pkg));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ rule: 'discord-at-the-edge', from: file });
      expect(found[0]?.to).toMatch(/node_modules\/(discord\.js|@discordjs\/voice|discord-api-types)\//);
    });
  });

  it('refuse a file in a folder that no layer names', async () => {
    const found = await check(withImport('src/elsewhere/x.ts', '../core/errors.ts'));
    expect(found).toEqual([{ rule: 'layer-unknown', from: 'src/elsewhere/x.ts', to: 'src/core/errors.ts' }]);
  });

  it('refuse product code importing the tests', async () => {
    const tree = {
      ...withImport('src/queue/x.ts', '../../test/fakes/f.ts'),
      'test/fakes/f.ts': 'export const f = 1;\n',
    };
    expect(await check(tree)).toEqual([
      { rule: 'no-test-imports', from: 'src/queue/x.ts', to: 'test/fakes/f.ts' },
    ]);
  });

  it('find no violation in the real src/ and commands/', { timeout: 120_000 }, async () => {
    expect(await violations(ROOT, ['src', 'commands'])).toEqual([]);
  });
});
