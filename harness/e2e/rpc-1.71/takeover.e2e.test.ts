/** harness/e2e/takeover.e2e.test.ts with the embedded node in its Sui 1.71 profile (no event RPCs: events from checkpoints). */
import { useRpcProfile } from '../e2e-stack.ts';

useRpcProfile('1.71');
await import('../takeover.e2e.test.ts');
