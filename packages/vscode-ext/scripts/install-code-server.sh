#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 in the browser) into a cache folder of its own,
# outside the npm workspace, for the end-to-end tests. Idempotent: does nothing when that exact
# version is already installed. Why each variable is set: see shared notes "vscode-e2e.md":
#   - npm_config_unsafe_perm: code-server's postinstall must run as root in CI.
#   - npm_config_yes: node-pty's postinstall runs `npx node-gyp` and would otherwise prompt.
#   - allowScripts in the cache's package.json: npm 11 skips dependencies' install scripts unless
#     allowed, and code-server's postinstall (vscode's node_modules, native modules) is required.
#   - TMPDIR: @vscode/ripgrep downloads rg from GitHub unless it finds a cached tarball under
#     $TMPDIR; we seed that cache with Debian's /usr/bin/rg (apt-get install ripgrep).
# Needs: libkrb5-dev (native module `kerberos`), ripgrep, a C toolchain for node-pty.
set -euo pipefail

version=4.100.3
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../../.." && pwd)"
install_dir="${KWQM_CODE_SERVER_DIR:-$repo_root/.cache/code-server}"
installed_manifest="$install_dir/node_modules/code-server/package.json"

# The postinstall links the remote CLI last; without that link the install is partial.
postinstall_marker="$install_dir/node_modules/code-server/lib/vscode/bin/remote-cli/code-server"
if [[ -f "$installed_manifest" ]] && \
   node -e "process.exit(require(process.argv[1]).version === process.argv[2] ? 0 : 1)" "$installed_manifest" "$version" && \
   [[ -x "$install_dir/node_modules/.bin/code-server" && -e "$postinstall_marker" ]]; then
  echo "code-server $version already installed in $install_dir"
  exit 0
fi

rg_path="$(command -v rg || true)"
if [[ -z "$rg_path" ]]; then
  echo "install-code-server: ripgrep (rg) is required: apt-get install -y ripgrep" >&2
  exit 1
fi

mkdir -p "$install_dir"
temp_dir="$install_dir/tmp"
mkdir -p "$temp_dir/vscode-ripgrep-cache-1.15.11"
tar czf "$temp_dir/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" \
  -C "$(dirname "$rg_path")" rg

# A package.json of its own, so npm installs here and never walks up into the monorepo's workspace.
cat >"$install_dir/package.json" <<JSON
{
  "name": "kwqm-code-server-cache",
  "private": true,
  "allowScripts": { "code-server": true, "argon2": true, "kerberos": true, "node-pty": true, "@vscode/ripgrep": true }
}
JSON

echo "installing code-server $version into $install_dir (about 80 s)"
cd "$install_dir"
TMPDIR="$temp_dir" npm_config_yes=true npm_config_unsafe_perm=true \
  npm install --save-exact --no-audit --no-fund --no-package-lock "code-server@$version" </dev/null

if [[ ! -e "$postinstall_marker" ]]; then
  echo "install-code-server: code-server's postinstall did not run (no $postinstall_marker)" >&2
  exit 1
fi
echo "code-server $version installed in $install_dir"
