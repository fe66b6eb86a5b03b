/** Every way a token could show up in a stored value without encryption: clear, hex, base64(url). */
export function plainForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [secret, bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')].map((s) =>
    s.replace(/=+$/, ''),
  );
}
