import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';

/** An RSA signing key as an identity provider publishes it: a key id, the private half, the JWK. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A key under `kid` from its private half in PEM (one of the run's keys: `generateSigningKeys`). */
export function signingKey(kid: string, privatePem: string): SigningKey {
  const privateKey = createPrivateKey(privatePem);
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * RSA keys for a whole test run, made once by its global setup (PEM, private halves): generating a 2048-bit
 * key takes a core about 0.2 s, and every identity provider stand-in needs four, so each making its own
 * cost the run about 7 s of CPU. Made side by side, off the main thread.
 */
export async function generateSigningKeys(count: number): Promise<string[]> {
  const generate = promisify(generateKeyPair);
  const pairs = await Promise.all(
    Array.from({ length: count }, () =>
      generate('rsa', {
        modulusLength: 2048,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      }),
    ),
  );
  return pairs.map((pair) => pair.privateKey);
}

/** The JWKS entry of a key (`n`, `e` in base64url), with the channels it is endorsed for, if any. */
export function jwkOf(key: SigningKey, endorsements?: string[]): Record<string, unknown> {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return {
    kty: 'RSA',
    use: 'sig',
    kid: key.kid,
    n: jwk.n,
    e: jwk.e,
    ...(endorsements ? { endorsements } : {}),
  };
}

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed RS256 with `key`, or unsigned (`alg: none`) when key is null. */
export function signJwt(
  payload: Record<string, unknown>,
  key: SigningKey | null,
  header: Record<string, unknown> = {},
): string {
  if (!key) return `${part({ alg: 'none', typ: 'JWT', ...header })}.${part(payload)}.`;
  const signed = `${part({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${part(payload)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), key.privateKey).toString('base64url')}`;
}

/** The payload of an RS256 token whose signature `publicKey` verifies; undefined for anything else. */
export function verifiedPayload(
  token: string,
  publicKey: KeyObject | string,
): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
  if (alg !== 'RS256') return undefined;
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const ok = verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
  return ok
    ? (JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>)
    : undefined;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
