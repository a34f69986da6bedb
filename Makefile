# SPDX-License-Identifier: GPL-3.0-or-later
# The two commands of the README:  make run   and   make test
BUILD ?= _build
ASAN_BUILD ?= _build-asan
FUZZ_BUILD ?= _build-fuzz
# make fuzz: seconds per harness, which harnesses, the largest input.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv xlsx ods xls zip normalizers json
FUZZ_MAX_LEN ?= 16384
# More libFuzzer flags, e.g. "-fork=1 -ignore_crashes=1" to go on after a
# crash (libfreexl's, while .xls is parsed in-process).
FUZZ_FLAGS ?=

DEBIAN_PACKAGES = gcc g++ pkg-config libgtk-4-dev libadwaita-1-dev libjson-glib-dev \
  libsqlite3-dev meson ninja-build libgsf-1-dev libxml2-dev libxlsxwriter-dev \
  libfreexl-dev libphonenumber-dev libuchardet-dev libarchive-dev xvfb xauth \
  dbus-x11 at-spi2-core python3-dogtail desktop-file-utils appstream-util gettext \
  sqlite3 python3 libspreadsheet-writeexcel-perl iso-codes bubblewrap libseccomp-dev \
  postgresql libpq-dev libsecret-1-dev libsodium-dev locales

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test test-all test-asan fuzz clean

all: build

# Installs only what is missing, so it is quick once done.
deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing packages:" $$missing; \
	  $(SUDO) apt-get update -q && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD)

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	$(BUILD)/src/app/persona-desk $(ARGS)

# Every test: the whole suite under Xvfb, then the readers and the engine
# again under AddressSanitizer.  Both always run; the closing line counts both.
# Both run with a throwaway PostgreSQL server (tests/pg-run.sh), so that the
# store's tests run against PostgreSQL too; it is stopped and removed after.
test: build
	@sh tests/pg-run.sh $(MAKE) --no-print-directory test-all

test-all:
	@GDK_BACKEND=x11 GSK_RENDERER=cairo xvfb-run -a -s '-screen 0 1280x1024x24' \
	  meson test -C $(BUILD) --print-errorlogs --num-processes 2 $(TESTARGS); \
	rc=$$?; \
	$(MAKE) --no-print-directory test-asan || rc=1; \
	sh tests/summary.sh $(BUILD) $(ASAN_BUILD); exit $$rc

# The suite 'asan' (readers, normalization, engine) under AddressSanitizer.
test-asan: deps
	@[ -f $(ASAN_BUILD)/build.ninja ] || meson setup $(ASAN_BUILD) -Db_sanitize=address,undefined -Db_lundef=false
	meson compile -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  meson test -C $(ASAN_BUILD) --suite asan --print-errorlogs --num-processes 2

# The libFuzzer harnesses of tests/fuzz (not part of make test), one after
# the other for FUZZ_SECONDS each, in a clang build of their own.  What a
# harness finds lands in $(FUZZ_BUILD)/fuzz-findings/<harness>/; see
# tests/fuzz/README.md for minimizing it into tests/fuzz/regressions/.
fuzz: DEBIAN_PACKAGES += clang libclang-rt-14-dev
fuzz: deps
	@[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang CXX=clang++ meson setup $(FUZZ_BUILD) \
	  -Db_sanitize=address,undefined -Db_lundef=false -Dfuzz=true
	meson compile -C $(FUZZ_BUILD) $(addprefix fuzz-,$(FUZZ_TARGETS))
	@rc=0; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/fuzz-corpus/$$t $(FUZZ_BUILD)/fuzz-findings/$$t; \
	  seeds=tests/fuzz/corpus/$$t; \
	  [ -d tests/fuzz/regressions/$$t ] && seeds="$$seeds tests/fuzz/regressions/$$t"; \
	  echo "== fuzz-$$t: $(FUZZ_SECONDS) s"; \
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(FUZZ_BUILD)/tests/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_BUILD)/fuzz-findings/$$t/ $(FUZZ_FLAGS) \
	    $(FUZZ_BUILD)/fuzz-corpus/$$t $$seeds || rc=1; \
	done; \
	ls -l $(FUZZ_BUILD)/fuzz-findings/*; exit $$rc

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
