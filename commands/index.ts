import type { Command } from '../src/discord/command.ts';
import { blocklist } from './blocklist.ts';
import { clear } from './clear.ts';
import { eq } from './eq.ts';
import { filter } from './filter.ts';
import { history } from './history.ts';
import { loop } from './loop.ts';
import { lyrics } from './lyrics.ts';
import { mode } from './mode.ts';
import { move } from './move.ts';
import { nowplaying } from './nowplaying.ts';
import { overlay } from './overlay.ts';
import { panel } from './panel.ts';
import { pause } from './pause.ts';
import { play } from './play.ts';
import { playlist } from './playlist.ts';
import { queue } from './queue.ts';
import { radio } from './radio.ts';
import { remove } from './remove.ts';
import { resume } from './resume.ts';
import { seek } from './seek.ts';
import { settings } from './settings.ts';
import { shuffle } from './shuffle.ts';
import { skip } from './skip.ts';
import { spotify } from './spotify.ts';
import { stats } from './stats.ts';
import { stop } from './stop.ts';
import { twitch } from './twitch.ts';
import { unvote } from './unvote.ts';
import { volume } from './volume.ts';
import { vote } from './vote.ts';

/** Every slash command, in the order Discord lists them. No directory scanning: this list is the truth. */
export const commands: Command[] = [
  play,
  queue,
  vote,
  unvote,
  skip,
  pause,
  resume,
  stop,
  nowplaying,
  panel,
  lyrics,
  seek,
  volume,
  filter,
  eq,
  loop,
  remove,
  clear,
  move,
  shuffle,
  history,
  playlist,
  stats,
  settings,
  blocklist,
  mode,
  radio,
  overlay,
  spotify,
  twitch,
];
