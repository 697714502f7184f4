# Shared by the bin/ scripts: the project root, a JDK >= 21, and the project venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SAM_CLI_TELEMETRY=0

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'; }

# Use JAVA_HOME or the default java when it is >= 21; otherwise the newest JDK >= 21 installed.
select_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")" 2>/dev/null)" /usr/lib/jvm/* /opt/java/* ; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    local major; major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate" PATH="$candidate/bin:$PATH"
      return 0
    fi
  done
  echo "No JDK >= 21 found (checked JAVA_HOME, java on PATH, /usr/lib/jvm). Install one, e.g. Temurin 21." >&2
  exit 1
}

# The project venv: pinned moto server, cfn-lint and the SAM CLI (requirements-dev.txt).
ensure_venv() {
  local stamp="$ROOT/.venv/.requirements.sha256" want
  want=$(sha256sum "$ROOT/requirements-dev.txt" | cut -d' ' -f1)
  if [ ! -x "$ROOT/.venv/bin/moto_server" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "==> Creating the project venv (.venv) from requirements-dev.txt" >&2
    python3 -m venv "$ROOT/.venv"
    "$ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$ROOT/requirements-dev.txt"
    echo "$want" > "$stamp"
  fi
}

# The browser tests: Debian's chromium and npm's playwright-core (never a downloaded browser).
ensure_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "==> Installing Debian chromium for the browser tests" >&2
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
  fi
  local stamp="$ROOT/browser-tests/node_modules/.lock.sha256" want
  want=$(sha256sum "$ROOT/browser-tests/package-lock.json" | cut -d' ' -f1)
  if [ ! -d "$ROOT/browser-tests/node_modules/playwright-core" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "==> Installing playwright-core (npm ci in browser-tests)" >&2
    (cd "$ROOT/browser-tests" && npm ci --no-audit --no-fund --silent)
    echo "$want" > "$stamp"
  fi
}

mvnw() { "$ROOT/mvnw" -B --no-transfer-progress "$@"; }
