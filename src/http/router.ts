import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (undefined when there was none). */
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

  /** The route for a request, `'method'` when the path exists with other methods, or null. */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | 'method' | null {
    let pathMatched = false;
    for (const c of this.routes) {
      const m = c.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
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
    return pathMatched ? 'method' : null;
  }

  list(): Route[] {
    return this.routes.map((c) => c.route);
  }
}
