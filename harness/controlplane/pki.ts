/**
 * Throw-away PKI of one control plane: a CA, serving certificates (etcd, kube-apiserver),
 * client certificates whose CN/O are the Kubernetes user and groups (the admin in
 * system:masters, the controller-manager, the scheduler, kwok, the apiserver as etcd client),
 * and the service-account token signing key pair. ECDSA P-256 through WebCrypto and
 * @peculiar/x509; nothing hand-rolled.
 */
// @peculiar/x509 (via tsyringe) needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

export interface CertKeyPem {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface IssueOptions {
  /** Common name: the Kubernetes user name for a client certificate. */
  readonly cn: string;
  /** Organisations: the Kubernetes groups for a client certificate. */
  readonly groups?: readonly string[];
  /** DNS names / IP addresses: makes it a serving certificate. */
  readonly hosts?: readonly string[];
  /** Also usable as a client certificate (etcd peers authenticate both ways). */
  readonly client?: boolean;
}

export interface CertificateAuthority {
  readonly ca: CertKeyPem;
  issue(opts: IssueOptions): Promise<CertKeyPem>;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

async function privatePem(key: webcrypto.CryptoKey): Promise<string> {
  return pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

function serial(): string {
  // Positive, non-zero 16-byte serial.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** Escapes characters that are special in an RFC 4514 distinguished name. */
export function dnValue(v: string): string {
  return v.replace(/([,+"\\<>;=#])/g, '\\$1');
}

/** The subject DN of a certificate for a user in groups: `CN=user, O=group1, O=group2`. */
export function subjectDn(cn: string, groups: readonly string[] = []): string {
  return [`CN=${dnValue(cn)}`, ...groups.map((g) => `O=${dnValue(g)}`)].join(', ');
}

const newKeys = async (): Promise<webcrypto.CryptoKeyPair> =>
  (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;

export async function createCertificateAuthority(
  name = 'k3s-daas control-plane throw-away CA',
  days = 30,
): Promise<CertificateAuthority> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + days * DAY_MS);
  const caKeys = await newKeys();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${dnValue(name)}`,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const ca: CertKeyPem = {
    certPem: caCert.toString('pem') + '\n',
    keyPem: await privatePem(caKeys.privateKey),
  };

  return {
    ca,
    async issue(opts) {
      const keys = await newKeys();
      const serving = (opts.hosts?.length ?? 0) > 0;
      const usages: x509.ExtendedKeyUsage[] = [];
      if (serving) usages.push(x509.ExtendedKeyUsage.serverAuth);
      if (!serving || opts.client) usages.push(x509.ExtendedKeyUsage.clientAuth);
      const extensions: x509.Extension[] = [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
          true,
        ),
        new x509.ExtendedKeyUsageExtension(usages),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ];
      if (serving) {
        extensions.push(
          new x509.SubjectAlternativeNameExtension(
            (opts.hosts ?? []).map((h) =>
              isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h },
            ),
          ),
        );
      }
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: subjectDn(opts.cn, opts.groups),
        issuer: caCert.subject,
        notBefore,
        notAfter,
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: ALG,
        extensions,
      });
      return { certPem: cert.toString('pem') + '\n', keyPem: await privatePem(keys.privateKey) };
    },
  };
}

/** The service-account token signing key pair (ES256): PKCS#8 private key, SPKI public key. */
export async function createServiceAccountKeys(): Promise<{ privatePem: string; publicPem: string }> {
  const keys = await newKeys();
  return {
    privatePem: await privatePem(keys.privateKey),
    publicPem: pem('PUBLIC KEY', await webcrypto.subtle.exportKey('spki', keys.publicKey)),
  };
}
