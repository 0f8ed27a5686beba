import { missingTool, MissingToolError } from './errors.ts';

/**
 * Throws a MissingToolError naming Docker when testcontainers finds no container runtime.
 * `loadRuntime` is injectable so the message can be tested without a Docker engine.
 */
export async function requireDocker(
  loadRuntime: () => Promise<unknown> = async () =>
    (await import('testcontainers')).getContainerRuntimeClient(),
): Promise<void> {
  try {
    await loadRuntime();
  } catch (err) {
    const e = missingTool('docker');
    throw new MissingToolError(
      e.tool,
      `${e.install} (testcontainers: ${(err as Error).message})`,
      e.fallback,
    );
  }
}
