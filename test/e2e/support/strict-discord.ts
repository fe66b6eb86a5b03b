import { afterAll, afterEach, expect } from 'vitest';
import { FakeDiscord, type Refusal } from '../../fakes/discord/index.ts';

/**
 * Set up for every end-to-end test (vitest.config.ts, `setupFiles` of the e2e project). Every fake
 * Discord is strict (bodies checked against Discord's OpenAPI document and limits, buckets and the
 * global limit enforced); after each test, and once more after the file (for edits that land late),
 * a request the fake refused for a reason the bot could have avoided fails the run. A test that
 * provokes a refusal on purpose takes it with `discord.rest.takeRefusals()`.
 */
function refused(): Refusal[] {
  return FakeDiscord.started.flatMap((rest) => rest.takeRefusals());
}

function describeRefusals(list: Refusal[]): string {
  return list
    .map((r) => `${r.status} ${r.method} ${r.path}: ${JSON.stringify(r.reason).slice(0, 600)}`)
    .join('\n');
}

afterEach(() => {
  const list = refused();
  expect(list, `the fake Discord refused:\n${describeRefusals(list)}`).toEqual([]);
});

afterAll(() => {
  const list = refused();
  expect(list, `the fake Discord refused (after the last test):\n${describeRefusals(list)}`).toEqual([]);
});
