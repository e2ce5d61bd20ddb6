// pnpm hooks for this workspace. beforePacking shapes the package.json that `pnpm pack` and
// `pnpm publish` (hence `changeset publish`) put in a tarball: the scripts and devDependencies only
// make sense inside this repository (tsc -p tsconfig.build.json, vitest, workspace links), so a
// published package carries neither. scripts/check-packages.mjs runs this hook on every package.
module.exports = {
  hooks: {
    beforePacking(pkg) {
      delete pkg.scripts;
      delete pkg.devDependencies;
      return pkg;
    },
  },
};
