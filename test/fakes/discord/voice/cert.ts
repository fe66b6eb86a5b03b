import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
  /** The system CA bundle plus this certificate: give it to the bot as NODE_EXTRA_CA_CERTS. */
  bundlePath: string;
}

const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
let cached: TestCertificate | null = null;

/**
 * A self-signed certificate for 127.0.0.1 (the voice gateway is always wss://), made with the openssl
 * CLI in a temporary folder; nothing secret is committed.
 */
export function testCertificate(): TestCertificate {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'um-voice-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(certPath, 'utf8');
  let system = '';
  try {
    system = readFileSync(SYSTEM_BUNDLE, 'utf8');
  } catch {
    system = '';
  }
  const bundlePath = join(dir, 'bundle.pem');
  writeFileSync(bundlePath, `${system}\n${cert}`);
  cached = { key: readFileSync(keyPath, 'utf8'), cert, bundlePath };
  return cached;
}
