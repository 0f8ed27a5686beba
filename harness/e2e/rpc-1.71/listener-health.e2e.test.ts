/** harness/e2e/listener-health.e2e.test.ts with the embedded node in its Sui 1.71 profile (no event RPCs: events from checkpoints). */
import { useRpcProfile } from '../e2e-stack.ts';

useRpcProfile('1.71');
await import('../listener-health.e2e.test.ts');
