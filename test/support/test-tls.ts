import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TestTls {
  cert: string;
  key: string;
}

/**
 * A certificate for 127.0.0.1, made for one test run, for the stand-ins that must speak HTTPS (MSAL
 * refuses an http authority). It is its own CA: trusted through NODE_EXTRA_CA_CERTS, as an operator
 * trusts a private cloud's CA, never by turning certificate checks off.
 */
export async function generateTestTls(): Promise<TestTls> {
  const pems = await generate([{ name: 'commonName', value: 'transfer-bot test identity provider' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * Writes the CA bundle the test workers start with: the certificate, after whatever extra CAs the
 * machine already trusted through NODE_EXTRA_CA_CERTS. Node reads the variable once, at process start,
 * so it must be set before vitest forks its workers.
 */
export function trustInWorkers(tls: TestTls, dir: string): string {
  const inherited = process.env.NODE_EXTRA_CA_CERTS;
  const previous = inherited && existsSync(inherited) ? `${readFileSync(inherited, 'utf8').trim()}\n` : '';
  const bundle = join(dir, 'extra-ca-certs.pem');
  writeFileSync(bundle, `${previous}${tls.cert.trim()}\n`);
  process.env.NODE_EXTRA_CA_CERTS = bundle;
  return bundle;
}
