export { escapeTag, formatLine, type IrcMessage, parseLine } from './irc.ts';
export { type BotLine, FakeTwitchChat, type FakeViewer, MAX_MESSAGE_CHARS } from './server.ts';
