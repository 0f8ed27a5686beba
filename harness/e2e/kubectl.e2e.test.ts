/** The kubectl e2e suite (kubectl.suite.ts) on the embedded Kubernetes API server. */
import { kubectlSuite } from './kubectl.suite.ts';

kubectlSuite('embedded');
