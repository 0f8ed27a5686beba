// Offline dependency fetcher: answers the builder's requests for the Sui
// framework git packages with this project's shim packages on disk
// (move/shim/*), serves local path dependencies from disk, and refuses
// everything else with a message saying what was asked and what to do.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MovePackageFetcher, type MovePackageFetchLocalContext } from '@zktx.io/sui-move-builder/full';
import { OfflineFetchError } from './errors.ts';
import { readPackageFiles, type PackageFiles } from './package-files.ts';
import { SHIM_ROOT } from './paths.ts';

/** The repository the builder names for implicit framework dependencies. */
export const SUI_REPO_URL = 'https://github.com/MystenLabs/sui.git';

/** Framework subdirectories (as requested by the builder) → shim folder name. */
export const SHIM_PACKAGES: Readonly<Record<string, string>> = {
  'crates/sui-framework/packages/move-stdlib': 'move-stdlib',
  'crates/sui-framework/packages/sui-framework': 'sui-framework',
};

export interface FetchRequest {
  kind: 'git' | 'file' | 'local';
  url?: string;
  rev?: string;
  path: string;
  servedFrom: string;
}

export interface ShimFetcherOptions {
  /** Root package folder; local dependencies of the root resolve against it. */
  rootDir: string;
  /** Folder holding move-stdlib/ and sui-framework/ (default: move/shim). */
  shimRoot?: string;
  /** Rewrites each served `.move` file (used by test-mode fallback builds). */
  transformSource?: (source: string, file: string) => string;
}

function isSuiRepo(gitUrl: string): boolean {
  const normalized = gitUrl
    .trim()
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.git$/, '');
  return normalized === 'https://github.com/mystenlabs/sui' || normalized === 'git@github.com:mystenlabs/sui';
}

function normalizeSubdir(subdir: string | undefined): string {
  return (subdir ?? '').replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

export class ShimFetcher extends MovePackageFetcher {
  /** Every request answered, in order (useful to see what the builder asked for). */
  readonly requests: FetchRequest[] = [];
  private readonly shimRoot: string;
  private readonly rootDir: string;
  /** Package name → folder, for local dependencies of local dependencies. */
  private readonly localDirs = new Map<string, string>();
  private readonly transform: ((source: string, file: string) => string) | undefined;

  constructor(options: ShimFetcherOptions) {
    super();
    this.rootDir = path.resolve(options.rootDir);
    this.shimRoot = path.resolve(options.shimRoot ?? SHIM_ROOT);
    this.transform = options.transformSource;
  }

  private serve(dir: string): PackageFiles {
    const files = readPackageFiles(dir, 'dependency');
    if (!this.transform) return files;
    for (const [name, text] of Object.entries(files)) {
      if (name.endsWith('.move')) files[name] = this.transform(text, name);
    }
    return files;
  }

  override async fetch(gitUrl: string, rev: string, subdir?: string): Promise<Record<string, string>> {
    const dir = this.shimDirFor(gitUrl, rev, subdir);
    this.requests.push({ kind: 'git', url: gitUrl, rev, path: normalizeSubdir(subdir), servedFrom: dir });
    return this.serve(dir);
  }

  override async fetchFile(gitUrl: string, rev: string, filePath: string): Promise<string | null> {
    const rel = normalizeSubdir(filePath);
    const subdir = Object.keys(SHIM_PACKAGES).find((s) => rel.startsWith(`${s}/`));
    if (!isSuiRepo(gitUrl) || subdir === undefined) {
      throw new OfflineFetchError(
        `Offline Move build: cannot fetch ${rel} from ${gitUrl}@${rev}. ` +
          `Only the MoveStdlib and Sui framework packages are served (from ${this.shimRoot}). ` +
          'Vendor the dependency as a local path dependency, or build online with --framework github.',
      );
    }
    const file = path.join(this.shimDirFor(gitUrl, rev, subdir), rel.slice(subdir.length + 1));
    const inBuildDir = file.split(path.sep).includes('build');
    const content = !inBuildDir && existsSync(file) ? readFileSync(file, 'utf8') : null;
    this.requests.push({
      kind: 'file',
      url: gitUrl,
      rev,
      path: rel,
      servedFrom: content === null ? '(none)' : file,
    });
    return content;
  }

  override getResolvedSha(_gitUrl: string, rev: string): string | undefined {
    return rev;
  }

  override fetchLocal = async (
    localPath: string,
    context: MovePackageFetchLocalContext,
  ): Promise<PackageFiles> => {
    const parentDir = this.localDirs.get(context.parentPackageName) ?? this.rootDir;
    const dir = path.resolve(parentDir, localPath);
    if (dir.split(path.sep).includes('build')) {
      throw new OfflineFetchError(
        `Local dependency ${context.dependencyName} points into a build/ folder (${dir}); ` +
          'build output is never used as a source. Point it at the package folder instead.',
      );
    }
    if (!existsSync(path.join(dir, 'Move.toml'))) {
      throw new OfflineFetchError(
        `Local dependency ${context.dependencyName} of ${context.parentPackageName}: no Move.toml in ${dir} ` +
          `(resolved from "${localPath}"). Fix the path in ${context.parentPackageName}'s Move.toml.`,
      );
    }
    this.localDirs.set(context.dependencyName, dir);
    this.requests.push({ kind: 'local', path: localPath, servedFrom: dir });
    return this.serve(dir);
  };

  private shimDirFor(gitUrl: string, rev: string, subdir: string | undefined): string {
    const wanted = normalizeSubdir(subdir);
    const shimName = isSuiRepo(gitUrl) ? SHIM_PACKAGES[wanted] : undefined;
    if (shimName === undefined) {
      const what = `${gitUrl}${wanted ? ` (subdir ${wanted})` : ''} at ${rev}`;
      const hint = isSuiRepo(gitUrl)
        ? 'Only MoveStdlib and Sui are shimmed; SuiSystem, Bridge and DeepBook are not. ' +
          'Remove that dependency, or build online with --framework github.'
        : 'There is no network access for Move dependencies here. Vendor the package and use ' +
          '`{ local = "..." }` in Move.toml, or build online with --framework github.';
      throw new OfflineFetchError(`Offline Move build: refusing to fetch ${what}. ${hint}`);
    }
    const dir = path.join(this.shimRoot, shimName);
    if (!existsSync(path.join(dir, 'Move.toml'))) {
      throw new OfflineFetchError(
        `Offline Move build: the shim package for ${wanted} is missing (${dir}/Move.toml not found).`,
      );
    }
    return dir;
  }
}
