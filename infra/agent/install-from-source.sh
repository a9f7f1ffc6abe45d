#!/bin/sh
# Builds the agent from this checkout and installs it:
#   /usr/lib/optralis-agent         the built agent with its production dependencies
#   /usr/bin/optralis-agent         the launcher (infra/agent/optralis-agent)
#   /usr/lib/systemd/system/        optralis-agent.service
#   /usr/lib/sysusers.d/            the optralis-agent system user
#   /usr/lib/optralis-agent/plugins sample plugins (copy or link one into /etc/optralis-agent/plugins.d to enable it)
# Needs Node 20+, npm and the repository's dev dependencies (npm ci). As root, from anywhere in the checkout:
#   sudo infra/agent/install-from-source.sh            DESTDIR=/tmp/root infra/agent/install-from-source.sh
set -eu

root="${DESTDIR:-}"
repository=$(cd "$(dirname "$0")/../.." && pwd)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

cd "$repository"
npx nx run @optralis/agent:build --outputStyle=static

# The agent depends on the workspace's contracts library, which is not published: it travels as a local package.
mkdir -p "$stage/lib/contracts"
cp -R agent/dist agent/package.json "$stage/lib/"
cp -R libs/contracts/dist libs/contracts/package.json "$stage/lib/contracts/"
rm -f "$stage/lib/dist/.tsbuildinfo"
(
  cd "$stage/lib"
  npm pkg delete devDependencies scripts
  npm pkg set "dependencies.@optralis/contracts=file:./contracts"
  npm install --omit=dev --no-audit --no-fund --no-package-lock --loglevel=error
)
mkdir -p "$stage/lib/plugins"
cp agent/plugins/tls-cert-expiry agent/plugins/tls-cert-expiry.targets.example "$stage/lib/plugins/"

install -d -m 0755 "$root/usr/lib" "$root/usr/bin" "$root/usr/lib/systemd/system" "$root/usr/lib/sysusers.d"
rm -rf "$root/usr/lib/optralis-agent.new"
cp -R "$stage/lib" "$root/usr/lib/optralis-agent.new"
chmod -R go-w "$root/usr/lib/optralis-agent.new"
rm -rf "$root/usr/lib/optralis-agent.old"
if [ -d "$root/usr/lib/optralis-agent" ]; then mv "$root/usr/lib/optralis-agent" "$root/usr/lib/optralis-agent.old"; fi
mv "$root/usr/lib/optralis-agent.new" "$root/usr/lib/optralis-agent"
rm -rf "$root/usr/lib/optralis-agent.old"

install -m 0755 infra/agent/optralis-agent "$root/usr/bin/optralis-agent"
install -m 0644 infra/agent/optralis-agent.service "$root/usr/lib/systemd/system/optralis-agent.service"
install -m 0644 infra/agent/optralis-agent.sysusers.conf "$root/usr/lib/sysusers.d/optralis-agent.conf"
install -d -m 0755 "$root/etc/optralis-agent" "$root/etc/optralis-agent/plugins.d"

if [ -z "$root" ] && [ -d /run/systemd/system ]; then
  systemd-sysusers /usr/lib/sysusers.d/optralis-agent.conf
  systemctl daemon-reload
fi
cat <<'NEXT'
Installed. Next:
  sudo optralis-agent enroll --server https://ingest.example.com --token opt_ing_…
  sudo systemctl enable --now optralis-agent
  journalctl -u optralis-agent -f
NEXT
