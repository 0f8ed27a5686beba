/**
 * The embedded API server held against the real kube-apiserver v1.36.3: the same corpus of
 * requests to both (corpus.ts), answers compared after normalising what each server generates
 * (normalise.ts). Fails on any difference not listed in known-deviations.yaml, and on listed
 * deviations that no longer occur (so the list stays true). Skips with the reason when the real
 * control plane is not built here (harness/controlplane/availability.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlPlaneAvailability } from '../../../controlplane/availability.ts';
import { startApiserverCluster } from '../../../backends/cluster/apiserver.ts';
import type { ClusterHandle } from '../../../backends/types.ts';
import { startEmbeddedKube, type EmbeddedKube } from '../server.ts';
import { CORPUS } from './corpus.ts';
import { formatDifference, runDifferential, type DifferentialReport } from './suite.ts';

const availability = await controlPlaneAvailability();
const reason = availability.ok ? '' : availability.reason;
if (reason) process.stderr.write(`[differential] skipped: ${reason}\n`);

let embedded: EmbeddedKube | undefined;
let real: ClusterHandle | undefined;
let report: DifferentialReport;

describe.skipIf(!availability.ok)(
  `differential: embedded API server vs kube-apiserver${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    beforeAll(async () => {
      // Controllers and kwok too: the corpus creates a pod, which needs the default ServiceAccount.
      [embedded, real] = await Promise.all([
        startEmbeddedKube({ rbac: true }),
        startApiserverCluster({ onProgress: () => {} }),
      ]);
      report = await runDifferential(embedded.kubeconfig, real.kubeconfigPath);
      process.stderr.write(
        `[differential] ${report.cases} requests, ${report.differences} differences: ${report.accepted.length} listed in known-deviations.yaml, ${report.unlisted.length} unlisted\n`,
      );
    }, 180_000);

    afterAll(async () => {
      await Promise.all([embedded?.stop(), real?.stop()]);
    });

    it('covers every verb, the content types, the four patch types, dry-run, watch, tables, errors, discovery and OpenAPI', () => {
      const methods = new Set(CORPUS.map((c) => c.method));
      expect([...methods].sort()).toEqual(['DELETE', 'GET', 'PATCH', 'POST', 'PUT']);
      const types = new Set(CORPUS.map((c) => c.contentType).filter(Boolean));
      for (const t of [
        'application/merge-patch+json',
        'application/json-patch+json',
        'application/strategic-merge-patch+json',
        'application/apply-patch+yaml',
        'application/vnd.kubernetes.protobuf',
        'application/yaml',
      ])
        expect(types, t).toContain(t);
      const paths = CORPUS.map((c) => c.path).join('\n');
      for (const p of [
        'dryRun=All',
        'fieldValidation=Strict',
        'labelSelector=',
        'fieldSelector=',
        'watch=1',
        'allowWatchBookmarks=true',
        '/openapi/v2',
        '/openapi/v3',
        '/apis',
        'eviction',
      ])
        expect(paths, p).toContain(p);
      expect(CORPUS.some((c) => c.accept?.includes('as=Table'))).toBe(true);
      expect(report.cases).toBe(CORPUS.length);
    });

    it('answers like kube-apiserver, except for the listed deviations', () => {
      expect(report.unlisted.map(formatDifference), 'differences not in known-deviations.yaml').toEqual([]);
    });

    it('lists no deviation that no longer occurs', () => {
      expect(
        report.stale.map((d) => `${d.case} · ${d.path}`),
        'fixed since: remove from known-deviations.yaml',
      ).toEqual([]);
    });
  },
);
