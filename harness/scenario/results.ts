import type { AuditedRequest } from './env.ts';
import type { Failure } from './assertions.ts';
import type { SourcePosition } from './types.ts';

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface ExchangeRecord {
  method: string;
  url: string;
  status?: number;
  ms?: number;
  requestId?: string;
  txDigest?: string;
  /** Gateway-reported per-hop durations (ms). */
  hops?: Record<string, number>;
}

export interface StepResult {
  section: 'setup' | 'steps' | 'teardown';
  index: number;
  name: string;
  kind: 'kubectl' | 'cluster' | 'action' | 'audit' | 'sleep' | 'await';
  outcome: Outcome;
  durationMs: number;
  attempts: number;
  command?: string;
  identity?: string;
  exitCode?: number;
  failures: Array<Failure & { position?: SourcePosition }>;
  exchanges: ExchangeRecord[];
  /** Unexpected error (not an expectation): message. */
  error?: string;
}

export interface ScenarioResult {
  name: string;
  file: string;
  namespace: string;
  outcome: Outcome;
  durationMs: number;
  steps: StepResult[];
  error?: string;
  skipReason?: string;
  /** Every request the gateway answered during this scenario (for the run-wide audit). */
  requests?: AuditedRequest[];
}

export interface RunResult {
  startedAt: string;
  durationMs: number;
  backends: { chain: string; cluster: string };
  stackBootMs?: number;
  stackPhases: Array<{ name: string; ms: number; detail: string }>;
  scenarios: ScenarioResult[];
  audit: { commands: number; onChain: number; refused: number; problems: string[] };
  /** Last log lines of the gateway and listener processes, present when something failed. */
  componentLogs?: { gateway: string; listener: string };
}

export function counts(run: RunResult): Record<Outcome, number> {
  const c: Record<Outcome, number> = { passed: 0, failed: 0, skipped: 0 };
  for (const s of run.scenarios) c[s.outcome]++;
  return c;
}
