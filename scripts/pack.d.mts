// Types of scripts/pack.mjs for the TypeScript tests that use it.
export declare const ROOT: string;
export declare function pnpm(
  cwd: string,
  args: readonly string[],
  options?: { timeout?: number },
): Promise<{ stdout: string; stderr: string }>;
export declare function workspacePackages(): Promise<
  Map<string, { dir: string; pkg: Record<string, unknown> & { name: string; version: string } }>
>;
export declare function closure(names: readonly string[]): Promise<string[]>;
/** Package name -> tarball path. */
export declare function pack(names: readonly string[], dest: string): Promise<Record<string, string>>;
export declare function installPacked(
  dir: string,
  tarballs: Record<string, string>,
  add?: readonly string[],
  options?: { timeout?: number },
): Promise<{ stdout: string; stderr: string }>;
