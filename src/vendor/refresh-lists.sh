#!/usr/bin/env bash
# Refreshes the vendored lists (src/main/resources/vendor, see its NOTICE.md) from their maintainers:
# Matomo's searchengine-and-social-list from its repository, crawler-user-agents from npm. Update the versions
# in NOTICE.md, then run ./mvnw verify: SourceClassifierTest and BotDetectorTest check the lists still work.
set -euo pipefail
cd "$(dirname "$0")/../.."
dest=src/main/resources/vendor
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

git clone -q --depth 1 https://github.com/matomo-org/searchengine-and-social-list "$tmp/matomo"
for f in SearchEngines.yml Socials.yml AIAssistants.yml LICENSE; do cp "$tmp/matomo/$f" "$dest/matomo/$f"; done
echo "matomo: commit $(git -C "$tmp/matomo" log -1 --format='%H %cs')"

(cd "$tmp" && npm pack --silent crawler-user-agents >/dev/null && tar xzf crawler-user-agents-*.tgz)
cp "$tmp/package/crawler-user-agents.json" "$dest/crawler-user-agents/"
cp "$tmp/package/LICENSE" "$dest/crawler-user-agents/" 2>/dev/null || true
echo "crawler-user-agents: npm $(node -p "require('$tmp/package/package.json').version")"
