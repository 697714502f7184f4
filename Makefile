# `sam build` runs one target per function (BuildMethod: makefile in template.yaml), in the project
# root: build-<LogicalId>. Each copies the function's shaded jar into $(ARTIFACTS_DIR)/lib, the
# layout the Lambda Java runtime puts on the classpath. The jar comes from the Maven Wrapper with a
# JDK >= 21 (bin/lib.sh finds one): one Maven run builds every function's jar when any is older
# than a source or pom, so jars an earlier `./mvnw verify` (bin/test) built are reused as they are.
# Which module a function is built from is its CodeUri in template.yaml, read here.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
MAKEFILE := $(abspath $(firstword $(MAKEFILE_LIST)))
comma := ,
space := $(subst ,, )

# the function modules and everything their jars are built from
FUNCTION_MODULES := $(patsubst %/pom.xml,%,$(wildcard functions/*/pom.xml))
SOURCES := pom.xml $(wildcard .mvn/*.config) $(shell find shared functions -name target -prune -o -type f \
	\( -name pom.xml -o -path '*/src/main/*' \) -print)

# A function's CodeUri (its module folder) as template.yaml declares it.
code_uri = $(shell awk -v id='$(1):' '/^[^ #]/ { top = $$1 } top == "Resources:" && $$1 == id { found = 1; next } \
	found && $$1 == "CodeUri:" { print $$2; exit }' template.yaml)

build-%:
	@module='$(call code_uri,$*)'; \
	if [ -z "$$module" ] || [ ! -f "$$module/pom.xml" ]; then \
		echo "template.yaml: $* has no CodeUri naming a Maven module (found '$$module')" >&2; exit 1; fi; \
	$(MAKE) --no-print-directory -f "$(MAKEFILE)" "$$module/target/function.jar"; \
	mkdir -p "$(ARTIFACTS_DIR)/lib"; \
	cp "$$module/target/function.jar" "$(ARTIFACTS_DIR)/lib/function.jar"

# Any stale jar rebuilds them all in one Maven run (the next functions' targets then find theirs fresh).
functions/%/target/function.jar: $(SOURCES)
	@echo "==> ./mvnw -DskipTests package (the function jars)"
	source bin/lib.sh && select_jdk && mvnw -q -DskipTests -pl $(subst $(space),$(comma),$(FUNCTION_MODULES)) -am package
	touch $(FUNCTION_MODULES:%=%/target/function.jar)
