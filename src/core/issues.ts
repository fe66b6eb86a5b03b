import type { z } from 'zod';

/** At most this many issues are listed, and this many unknown keys named in one. */
const MAX_ISSUES = 10;
const MAX_KEYS = 5;
/** A key or path segment is shown up to this many characters. */
const MAX_NAME = 40;
const MAX_MESSAGE = 300;

export interface IssueSummary {
  /** `path: message` of the first issue. */
  message: string;
  /** The first issues, each with a short path and message. */
  issues: { path: string; message: string }[];
  /** How many issues were left out of `issues`. */
  omitted: number;
}

/**
 * Zod's issues told in a bounded size, whatever the input: at most {@link MAX_ISSUES} issues, unknown
 * keys named up to {@link MAX_KEYS} with a count of the rest, and long keys cut. (A body with 60,000
 * unknown keys used to be answered with every key, twice: 1.4 MB.)
 */
export function summarizeIssues(issues: readonly z.core.$ZodIssue[], subject = 'body'): IssueSummary {
  const listed = issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map((p) => cut(String(p))).join('.'),
    message: describe(issue),
  }));
  const first = listed[0];
  return {
    message: first ? `${first.path || subject}: ${first.message}` : 'Invalid input.',
    issues: listed,
    omitted: issues.length - listed.length,
  };
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys;
    const named = keys.slice(0, MAX_KEYS).map((k) => JSON.stringify(cut(k)));
    const rest = keys.length - named.length;
    return `unknown field${keys.length === 1 ? '' : 's'} ${named.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
  }
  return issue.message.length > MAX_MESSAGE ? `${issue.message.slice(0, MAX_MESSAGE)}…` : issue.message;
}

function cut(name: string): string {
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name;
}
