import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../core/errors.ts';

/** The seed's response envelope: `{success, data, timestamp}` or `{success: false, error, timestamp}`. */
export function sendData(res: ServerResponse, status: number, data: unknown): void {
  if (status === 204) {
    res.writeHead(204).end();
    return;
  }
  send(res, status, { success: true, data, timestamp: new Date().toISOString() });
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: ErrorCode | string,
  message: string,
  details: Record<string, unknown> | null = null,
  headers: Record<string, string> = {},
): void {
  send(
    res,
    status,
    { success: false, error: { code, message, details }, timestamp: new Date().toISOString() },
    headers,
  );
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(json);
}
