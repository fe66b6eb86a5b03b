import type { Actions, Call } from '../actions/index.ts';
import { UserError } from '../core/errors.ts';
import type { LoopMode } from '../playback/player.ts';
import type { Reply } from './command.ts';
import { boldTitle, trackLine } from './format.ts';

const LOOP_SAID: Record<LoopMode, string> = {
  off: 'Loop is off: each song plays once.',
  track: 'Looping the playing song.',
  queue: 'Looping the queue: each song goes back into the queue after it plays.',
};

/**
 * A control panel button: the same action as its slash command (and so the same permission check; a
 * refusal becomes the router's ephemeral reply), answered to the member alone.
 * @throws UserError INVALID_INPUT for a custom id that is no panel button
 */
export async function pressPanelButton(customId: string, call: Call, actions: Actions): Promise<Reply> {
  const said = (content: string): Reply => ({ ephemeral: true, content });
  const pb = actions.playback;
  switch (customId) {
    case 'panel:pause':
      return said(`Paused ${trackLine(await pb.pause(call))}.`);
    case 'panel:resume':
      return said(`Resumed ${trackLine(await pb.resume(call))}.`);
    case 'panel:stop':
      await pb.stop(call);
      return said('Stopped and left the voice channel. The queue is kept; /play to start again.');
    case 'panel:skip': {
      const outcome = await pb.skip(call);
      if (outcome.skipped) return said(`Skipped ${trackLine(outcome.item)}.`);
      const already = outcome.counted ? '' : 'You already voted to skip. ';
      return said(
        `${already}Vote to skip ${trackLine(outcome.item)}: **${outcome.count}/${outcome.needed}**.`,
      );
    }
  }
  const loop = /^panel:loop:(off|track|queue)$/.exec(customId);
  if (loop) return said(LOOP_SAID[await pb.setLoop(call, { mode: loop[1] as LoopMode })]);
  const rate = /^panel:rate:(up|down):(.+)$/.exec(customId);
  if (rate) {
    const value = rate[1] === 'up' ? 1 : -1;
    const result = await pb.rate(call, { item: rate[2]!, value });
    const emoji = value === 1 ? '👍' : '👎';
    const what =
      result.change === 'unchanged'
        ? `You already rated ${boldTitle(result.item.track.title)} ${emoji}; it counts once.`
        : `You rated ${boldTitle(result.item.track.title)} ${emoji}.`;
    return said(`${what} 👍 ${result.tally.up} · 👎 ${result.tally.down}`);
  }
  throw new UserError('INVALID_INPUT', 'That button is no longer in use.');
}
