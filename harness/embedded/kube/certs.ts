// Throw-away PKI for the embedded API server: one CA, a server certificate for
// loopback, and client certificates whose CN/O carry the Kubernetes user/groups.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type Crypto = typeof webcrypto;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

const crypto: Crypto = webcrypto;
x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

// ECDSA P-256 keeps boot fast (RSA key generation alone costs ~100 ms each).
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface Pki {
  ca: KeyPairPem;
  server: KeyPairPem;
  issueClient(user: string, groups?: string[]): Promise<KeyPairPem>;
  /** Signs a PKCS#10 request (PEM) with the CA, as kube-controller-manager's CSR signer does. */
  signCsr(csrPem: string, usages: readonly string[], expirationSeconds?: number): Promise<string>;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

async function keyPem(key: CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', key));
}

function serial(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12)))
    .toString('hex')
    .replace(/^0+/, '1');
}

/** Escapes characters that are special in an RFC 4514 distinguished name. */
function dnValue(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1');
}

export async function createPki(hosts: string[] = ['localhost', '127.0.0.1', '::1']): Promise<Pki> {
  const now = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 365 * DAY_MS);
  const caKeys = (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=k3s-daas-embedded-ca',
    notBefore: now,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  async function issue(subject: string, extensions: x509.Extension[]): Promise<KeyPairPem> {
    const keys = (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: caCert.subject,
      notBefore: now,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALG,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
        ...extensions,
      ],
    });
    return { certPem: cert.toString('pem') + '\n', keyPem: await keyPem(keys.privateKey) };
  }

  const isIp = (h: string): boolean => /^[\d.]+$/.test(h) || h.includes(':');
  const server = await issue('CN=kube-apiserver', [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(
      hosts.map((h) => (isIp(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h })),
    ),
  ]);

  return {
    ca: { certPem: caCert.toString('pem') + '\n', keyPem: await keyPem(caKeys.privateKey) },
    server,
    async signCsr(csrPem, usages, expirationSeconds) {
      const csr = new x509.Pkcs10CertificateRequest(csrPem);
      if (!(await csr.verify())) throw new Error('the certificate request signature does not verify');
      const eku = [
        ...(usages.includes('client auth') ? [x509.ExtendedKeyUsage.clientAuth] : []),
        ...(usages.includes('server auth') ? [x509.ExtendedKeyUsage.serverAuth] : []),
      ];
      const start = new Date(Date.now() - 60_000);
      const seconds = Math.min(expirationSeconds ?? 365 * 86400, 365 * 86400);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: csr.subject,
        issuer: caCert.subject,
        notBefore: start,
        notAfter: new Date(start.getTime() + seconds * 1000),
        publicKey: csr.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
            true,
          ),
          await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
          ...(eku.length ? [new x509.ExtendedKeyUsageExtension(eku)] : []),
        ],
      });
      return cert.toString('pem') + '\n';
    },
    issueClient: (user, groups = []) =>
      issue([`CN=${dnValue(user)}`, ...groups.map((g) => `O=${dnValue(g)}`)].join(', '), [
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      ]),
  };
}
