/**
 * The import rules of src/ and commands/, checked by `npm run lint` (dependency-cruiser) and pinned by
 * test/unit/architecture/layers.test.ts. docs/ARCHITECTURE.md ("Layers") explains them.
 *
 * Layers, top to bottom; a file imports only from its own layer or a lower one:
 *   root      src/main.ts, src/app.ts, src/app/   builds and wires everything; may import anything
 *   commands  commands/                          slash commands: parse -> action -> render
 *   discord   src/discord/                       the Discord adapter (client, router, voice)
 *   http      src/http/, and routes.ts, page.ts (+ routes/, page/, page-*.ts, browser/) in a service folder
 *             the HTTP front end; at the level of discord, and neither imports the other
 *   chat      src/twitch/                        the Twitch chat front end; beside discord and http, none imports another
 *   actions   src/actions/, src/fleet/           one function per user intent; the fleet runs each where its guild lives
 *   services  src/overlay > radio > providers > spotify > playback > queue > mode > lyrics (see serviceOrder)
 *   stores    src/storage/                       Redis, PostgreSQL and in-memory stores
 *   core      src/core, src/config, src/net      vocabulary and leaf helpers
 */

/**
 * The services, lowest first. A service imports only services below it, so two service folders never
 * import each other (a cycle between folders, e.g. providers <-> spotify, is caught here even when no
 * single module closes it). To add an import against this order, move the type to where it is
 * produced, or reorder the list when no import goes the other way.
 */
const serviceOrder = ['lyrics', 'mode', 'queue', 'playback', 'spotify', 'providers', 'radio', 'overlay'];

const services = `(${serviceOrder.join('|')})`;

/** Path patterns of each layer, as dependency-cruiser sees paths (relative, forward slashes). */
const layer = {
  root: '^src/(main|app)[.]ts$|^src/app/',
  commands: '^commands/',
  discord: '^src/discord/',
  // A service folder's routes and pages are HTTP front end, not service.
  http: `^src/http/|^src/${services}/((routes|page|browser)([.]ts$|/)|page-[^/]+$)`,
  chat: '^src/twitch/',
  actions: '^src/(actions|fleet)/',
  services: `^src/${services}/`,
  stores: '^src/storage/',
  core: '^src/(core|config|net)/',
};

/** One rule per service: it must not import a service ranked above it (HTTP files aside: see layer.http). */
const serviceRules = serviceOrder.slice(0, -1).map((name, i) => ({
  name: 'services-in-order',
  severity: 'error',
  comment: `src/${name}/ ranks below ${serviceOrder.slice(i + 1).join(', ')}: it must not import them.`,
  from: { path: `^src/${name}/`, pathNot: layer.http },
  to: { path: `^src/(${serviceOrder.slice(i + 1).join('|')})/`, pathNot: layer.http },
}));

/** Packages that speak Discord's types; only the Discord edge may import them. */
const discordPackages = '(^|/)node_modules/(discord[.]js|@discordjs/[^/]+|discord-api-types)/';

const any = (...names) => names.map((n) => layer[n]).join('|');

/** A forbidden import from one layer into layers above it. */
function notUp(name, from, to, comment) {
  return { name, severity: 'error', comment, from: { path: layer[from] }, to: { path: any(...to) } };
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'An import circle ties its modules together: none can be read, tested or changed alone.',
      from: { path: '^(src|commands)/' },
      to: { circular: true },
    },
    notUp(
      'commands-not-up',
      'commands',
      ['root', 'http'],
      'A command reaches the application through actions and the Discord adapter, never the root or HTTP.',
    ),
    notUp(
      'discord-not-up',
      'discord',
      ['root', 'commands', 'http', 'chat'],
      'The Discord adapter is handed its commands by the root; it never imports them, nor the HTTP side.',
    ),
    notUp(
      'http-not-up',
      'http',
      ['root', 'commands', 'discord', 'chat'],
      'The HTTP front end stands beside Discord: it calls actions and services, never the Discord side.',
    ),
    notUp(
      'chat-not-up',
      'chat',
      ['root', 'commands', 'discord', 'http'],
      'The Twitch chat front end stands beside Discord and HTTP: it calls actions, never another front end.',
    ),
    notUp(
      'actions-not-up',
      'actions',
      ['root', 'commands', 'discord', 'http', 'chat'],
      'An action takes plain values and returns a plain result: it never sees a front end.',
    ),
    {
      name: 'services-not-up',
      severity: 'error',
      comment:
        'A service is used by actions and front ends; it never imports them (events it emits live with it).',
      from: { path: layer.services, pathNot: layer.http },
      to: { path: any('root', 'commands', 'discord', 'http', 'chat', 'actions') },
    },
    ...serviceRules,
    {
      name: 'stores-only-core',
      severity: 'error',
      comment:
        'A store keeps data; the contract it implements lives with it, so it imports nothing above core.',
      from: { path: layer.stores },
      to: { path: '^(src|commands)/', pathNot: any('stores', 'core') },
    },
    {
      name: 'core-only-core',
      severity: 'error',
      comment: 'Core is the vocabulary every layer speaks; it depends on nothing of ours above it.',
      from: { path: layer.core },
      to: { path: '^(src|commands)/', pathNot: layer.core },
    },
    {
      name: 'discord-at-the-edge',
      severity: 'error',
      comment:
        'discord.js, @discordjs/* and discord-api-types are imported only in src/discord/ and commands/.',
      from: { path: '^(src|commands)/', pathNot: any('discord', 'commands') },
      to: { path: discordPackages },
    },
    {
      name: 'layer-unknown',
      severity: 'error',
      comment: 'Every file of src/ belongs to a layer: add a new folder to the layer table in this file.',
      from: { path: '^src/', pathNot: Object.values(layer).join('|') },
      to: {},
    },
    {
      name: 'no-test-imports',
      severity: 'error',
      comment: 'Product code never imports tests or their fakes.',
      from: { path: '^(src|commands)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a moved file.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: a type is a dependency (RadioEvent in the overlay was one).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
