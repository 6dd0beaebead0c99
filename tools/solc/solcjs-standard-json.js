// Answers `solc --standard-json` through solcjs (WebAssembly), for py-solc-x and brownie.
// There is no native solc in the package registries this project installs from, so the
// compiler is the npm `solc` package. Imports are resolved against the working directory,
// the project root and node_modules, in that order.
"use strict";
const fs = require("fs");
const path = require("path");

const projectRoot = path.resolve(__dirname, "..", "..");
const solc = require(path.join(projectRoot, "node_modules", "solc"));

function findImport(importPath) {
  const candidates = path.isAbsolute(importPath)
    ? [importPath]
    : [
        path.resolve(process.cwd(), importPath),
        path.resolve(projectRoot, importPath),
        path.resolve(projectRoot, "node_modules", importPath),
      ];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate)) {
      return { contents: fs.readFileSync(candidate, "utf8") };
    }
  }
  return { error: `File not found: ${importPath} (looked in ${candidates.join(", ")})` };
}

const input = fs.readFileSync(0, "utf8");
const output = solc.compile(input, { import: findImport });
// Exit only once stdout is flushed: exiting right after write truncates output at 128 KiB.
process.stdout.write(output, () => process.exit(0));
