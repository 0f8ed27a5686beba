/** TypeScript view of scenario.schema.json (kept in sync by the loader tests). */
import type { ScenarioRequirement } from './requirements.ts';
export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue };

export interface RuleSpec {
  verbs: string[];
  apiGroups?: string[];
  resources: string[];
  namespaces?: string[];
  resourceNames?: string[];
}

export type IdentityPreset = 'admin' | 'namespace-admin' | 'read-only' | 'none';

export interface IdentitySpec {
  preset?: IdentityPreset;
  rules?: RuleSpec[];
  stake?: number | 'enough' | 'none';
  expiresInMs?: number;
  revoked?: boolean;
  unknown?: boolean;
}

export type TextMatch =
  | string
  | {
      equals?: string;
      contains?: string | string[];
      notContains?: string | string[];
      regex?: string;
      empty?: boolean;
      length?: number;
    };

export type EventType = 'K8sAPIRequest' | 'K8sAPIResponse' | 'RequestClaimed';
export interface EventExpectation {
  type: EventType;
  fields?: Record<string, JsonValue>;
  count?: number;
}
export type EventsExpectation =
  EventExpectation[] | { ordered?: boolean; none?: boolean; match?: EventExpectation[] };

export interface Expectation {
  exitCode?: number;
  stdout?: TextMatch;
  stderr?: TextMatch;
  json?: JsonValue;
  yaml?: JsonValue;
  events?: EventsExpectation;
  response?: { status?: number; body?: JsonValue };
  abort?: string;
  latencyMs?: number;
}

export interface ClusterObjectRef {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ClusterCheck {
  object: ClusterObjectRef;
  absent?: boolean;
  matches?: JsonValue;
}

export type StackAction = 'restart-executor' | 'stop-executor' | 'start-executor';

export interface StepSpec {
  name?: string;
  as?: string;
  kubectl?: string[];
  stdin?: string;
  stdinFile?: string;
  expect?: Expectation;
  cluster?: ClusterCheck;
  action?: StackAction;
  audit?: { minCommands?: number };
  sleepMs?: number;
  eventually?: { timeoutMs: number; intervalMs?: number };
  background?: boolean;
  await?: boolean;
  /** For commands that keep running (kubectl get -w): stop once stdout matches. */
  until?: UntilSpec;
}

/**
 * Stop a long-running kubectl (SIGINT) once its stdout matches `stdout` (a regex); the step then
 * counts as exit code 0. It fails when the output never matches within `timeoutMs` (default
 * 60 s) or the command ends on its own first.
 */
export interface UntilSpec {
  stdout: string;
  timeoutMs?: number;
}

export interface ScenarioSpec {
  name: string;
  description?: string;
  tags?: string[];
  /** What only some clusters provide (requirements.ts); skipped with the reason elsewhere. */
  requires?: ScenarioRequirement[];
  isolation?: 'namespace' | 'snapshot';
  timeoutMs?: number;
  identities?: Record<string, IdentitySpec>;
  files?: Record<string, { bytes: number; seed?: string }>;
  setup?: StepSpec[];
  steps: StepSpec[];
  teardown?: StepSpec[];
}

/** Where something sits in the YAML source (1-based). */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface LoadedScenario {
  spec: ScenarioSpec;
  file: string;
  /** Directory fixtures are resolved from. */
  fixturesDir: string;
  /** Source position of a JSON pointer inside this scenario (for failure reports). */
  positionOf(pointer: string): SourcePosition;
}
