// kube-controller-manager's csrsigning controller: signs approved CSRs of the built-in client signers.
import type { KubeObject } from '../store.ts';
import { type Obj, now } from './helpers.ts';
import type { Controllers } from '../controllers.ts';

const SIGNERS = new Set([
  'kubernetes.io/kube-apiserver-client',
  'kubernetes.io/kube-apiserver-client-kubelet',
  'kubernetes.io/kubelet-serving',
]);

/** Issues the certificate of an approved, not denied, not yet issued CSR for a built-in signer. */
export function signCsr(ctl: Controllers, name: string): void {
  const kind = ctl.k('certificates.k8s.io', 'certificatesigningrequests');
  const csr = ctl.r.tryGet(kind, undefined, name) as Obj | undefined;
  if (!csr || !ctl.signer || csr.status?.certificate) return;
  const conds = (csr.status?.conditions ?? []) as Obj[];
  const has = (t: string): boolean => conds.some((c) => c.type === t && c.status !== 'False');
  if (!has('Approved') || has('Denied') || has('Failed') || !SIGNERS.has(String(csr.spec?.signerName)))
    return;
  const pemText = Buffer.from(String(csr.spec?.request ?? ''), 'base64').toString('utf8');
  const uid = csr.metadata.uid;
  void ctl
    .signer(pemText, (csr.spec?.usages ?? []) as string[], csr.spec?.expirationSeconds as number | undefined)
    .then(
      (cert) => {
        const cur = ctl.r.tryGet(kind, undefined, name) as Obj | undefined;
        if (!cur || cur.metadata.uid !== uid || cur.status?.certificate) return;
        ctl.r.writeStatus(kind, cur as KubeObject, {
          ...cur.status,
          certificate: Buffer.from(cert).toString('base64'),
        });
      },
      (e: unknown) => {
        const cur = ctl.r.tryGet(kind, undefined, name) as Obj | undefined;
        if (!cur || cur.metadata.uid !== uid) return;
        const t = now();
        ctl.r.writeStatus(kind, cur as KubeObject, {
          ...cur.status,
          conditions: [
            ...((cur.status?.conditions ?? []) as Obj[]),
            {
              type: 'Failed',
              status: 'True',
              reason: 'SignerValidationFailure',
              message: (e as Error).message,
              lastUpdateTime: t,
              lastTransitionTime: t,
            },
          ],
        });
      },
    );
}
