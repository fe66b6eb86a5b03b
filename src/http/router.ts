import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (undefined when there was none); a Buffer for a `textBody` route. */
  body: unknown;
}

export interface Route {
  method: Method;
  /** Path pattern with `{name}` segments, e.g. `/api/v1/queue/{community_id}`. */
  path: string;
  /** Needs the API bearer token. */
  auth: boolean;
  /** Counts toward the write rate limit. */
  write?: boolean;
  /** One line for the OpenAPI document. */
  summary?: string;
  /**
   * The JSON body's schema: the server parses the body with it (a missing body counts as `{}`) before
   * the handler runs, and the OpenAPI document describes it.
   */
  body?: ZodType;
  /**
   * The body is text of this media type (e.g. `text/csv`), handed to the handler as a Buffer instead of
   * parsed JSON; other types are refused with 415.
   */
  textBody?: string;
  handler: (ctx: RouteContext) => Promise<void> | void;
}

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

export class BadPathError extends Error {}

/** A small path router: `{name}` segments, methods, and a distinction between 404 and 405. */
export class Router {
  private readonly routes: Compiled[] = [];

  add(...routes: Route[]): void {
    for (const route of routes) {
      const names: string[] = [];
      const pattern = route.path
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\{(\w+)\}/g, (_, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
      this.routes.push({ route, regex: new RegExp(`^${pattern}$`), names });
    }
  }

  /**
   * The route for a request (HEAD is served by the GET route), the methods the path allows when it
   * exists with other methods, or null.
   * @throws BadPathError when a `{name}` segment has a bad %-escape
   */
  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | { allow: string[] } | null {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allow = new Set<string>();
    for (const c of this.routes) {
      const m = c.regex.exec(path);
      if (!m) continue;
      if (c.route.method !== wanted) {
        allow.add(c.route.method);
        if (c.route.method === 'GET') allow.add('HEAD');
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new BadPathError(`bad %-escape in ${name}`);
        }
      });
      return { route: c.route, params };
    }
    return allow.size > 0 ? { allow: [...allow] } : null;
  }

  list(): Route[] {
    return this.routes.map((c) => c.route);
  }
}
