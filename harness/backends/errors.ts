/**
 * Errors a user can act on: each names what is missing, how to install it, and the
 * backend that works without it.
 */
export class MissingToolError extends Error {
  readonly tool: string;
  readonly install: string;
  readonly fallback: string;
  constructor(tool: string, install: string, fallback: string) {
    super(`${tool} is not available. Install it: ${install}. Or fall back: ${fallback}.`);
    this.name = 'MissingToolError';
    this.tool = tool;
    this.install = install;
    this.fallback = fallback;
  }
}

/** A backend that depends on a part of this repository that is not there yet (or failed to load). */
export class BackendUnavailableError extends Error {
  readonly piece: string;
  constructor(piece: string, detail: string) {
    super(`${piece} is not available: ${detail}`);
    this.name = 'BackendUnavailableError';
    this.piece = piece;
  }
}

/** A backend that started but never became ready. Carries the captured log tail. */
export class BackendNotReadyError extends Error {
  readonly logTail: string;
  constructor(what: string, reason: string, logTail = '') {
    super(`${what} did not become ready: ${reason}${logTail ? `\n--- last log lines ---\n${logTail}` : ''}`);
    this.name = 'BackendNotReadyError';
    this.logTail = logTail;
  }
}

export const INSTALL_HINTS = {
  sui: {
    install:
      'the Sui CLI (`cargo install --locked --git https://github.com/MystenLabs/sui.git sui`, or `brew install sui`, or a release binary on PATH)',
    fallback: 'run with `--chain embedded` (the default), which needs nothing installed',
  },
  kind: {
    install:
      'kind (`go install sigs.k8s.io/kind@latest` or a release binary on PATH) and a running Docker engine',
    fallback:
      'run with `--cluster embedded` (the default), or `--cluster kubeconfig` for an existing cluster',
  },
  docker: {
    install:
      'a running Docker engine (Docker Desktop, or `dockerd`; `docker info` must succeed) reachable via DOCKER_HOST or /var/run/docker.sock',
    fallback: 'run with `--chain embedded --cluster embedded` (the defaults), which need no Docker',
  },
} as const;

export function missingTool(tool: keyof typeof INSTALL_HINTS): MissingToolError {
  const hint = INSTALL_HINTS[tool];
  return new MissingToolError(tool, hint.install, hint.fallback);
}
