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
      export JAVA_HOME="$candidate" PATH="$candidate/bin:$PATH" JAVA_MAJOR="$major"
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

# The Maven Wrapper, batch mode; on JDK 24+ without the warnings Maven 3.9's own Guice triggers (sun.misc.Unsafe).
mvnw() {
  local opts="${MAVEN_OPTS:-}"
  if [ "${JAVA_MAJOR:-0}" -ge 24 ]; then opts="$opts --sun-misc-unsafe-memory-access=allow"; fi
  MAVEN_OPTS="$opts" "$ROOT/mvnw" -B --no-transfer-progress "$@"
}

# Progress lines with timings: t=$(now_ms); ...; step NAME "what happened" "$t"  ->  ==> NAME: what happened [2.3 s]
now_ms() {
  if [ -n "${EPOCHREALTIME:-}" ]; then local t=${EPOCHREALTIME/[.,]/}; echo $(( t / 1000 )); else echo $(( $(date +%s) * 1000 )); fi
}
elapsed() {
  local ms=$(( $(now_ms) - $1 ))
  if [ "$ms" -lt 60000 ]; then printf '%d.%d s' $(( ms / 1000 )) $(( ms % 1000 / 100 )); else printf '%d min %d s' $(( ms / 60000 )) $(( ms % 60000 / 1000 )); fi
}
step() { echo "==> $1: $2 [$(elapsed "$3")]"; }

# Whether nothing holds the loopback TCP port (what the dev server binds).
port_free() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

# The dev server's jar (bin/token, bin/user): built by bin/local or bin/test.
devserver_jar() {
  local jar="$ROOT/local/devserver/target/devserver.jar"
  if [ ! -f "$jar" ]; then
    echo "no local stack is running (the dev server is not even built): start it with bin/local" >&2
    exit 1
  fi
  echo "$jar"
}

# After `sam build`: every function of template.yaml has its artifact in .aws-sam/build/<LogicalId>,
# the shaded jar under lib/ holding the function's handler class. Prints one line per function.
check_sam_build() {
  "$ROOT/.venv/bin/python" - "$ROOT" <<'PY'
import os, sys, zipfile, yaml
root = sys.argv[1]
class Loader(yaml.SafeLoader):
    pass
Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # CloudFormation tags: not needed here
with open(os.path.join(root, "template.yaml")) as f:
    template = yaml.load(f, Loader=Loader)
failed = False
for logical_id, resource in template["Resources"].items():
    if resource.get("Type") != "AWS::Serverless::Function":
        continue
    handler_class = resource["Properties"]["Handler"].split("::")[0].replace(".", "/") + ".class"
    jar = os.path.join(root, ".aws-sam", "build", logical_id, "lib", "function.jar")
    if not os.path.isfile(jar):
        print(f"    {logical_id}: MISSING {os.path.relpath(jar, root)}")
        failed = True
    elif handler_class not in zipfile.ZipFile(jar).namelist():
        print(f"    {logical_id}: {os.path.relpath(jar, root)} lacks its handler {handler_class}")
        failed = True
    else:
        print(f"    {logical_id}: {os.path.relpath(jar, root)} ({os.path.getsize(jar) / 1e6:.1f} MB)")
sys.exit(1 if failed else 0)
PY
}
