# net-czynsze — one binary, `czynsze`, built from small modules.
#
#   make            build build/czynsze
#   make check      install what the tests need, build, run every test
#   make demo       build, run the whole pipeline on the fixtures, serve on 127.0.0.1
#   make fuzz       run every fuzz harness FUZZ_SECONDS (60) each
#   make lint       cppcheck and clang-tidy over the C sources
#   make bench      benchmarks against the named peers (slow; not part of check)
#   make deps       install the Debian packages the build needs (as root)
#
# Every .c file under lib/ importer/ generator/ audit/ nightly/ is part of the
# library build/libczynsze.a; cli/ holds main().  Unit tests are
# tests/unit/test_*.c, one program each, printing TAP.

PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
PKGS      = libxml-2.0 sqlite3 libgit2 libcrypto libdeflate libqrencode
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread
WARN      = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wvla -Wpointer-arith -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
             $(SAN_FLAGS) -I. -Ilib -Iimporter -Igenerator -Iaudit -Inightly $(PKG_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SAN_FLAGS)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

LIB_SRC  := $(sort $(wildcard lib/*.c importer/*.c generator/*.c audit/*.c nightly/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/schema_sql.o $(BUILD)/gen/keys_sql.o
CLI_SRC  := $(sort $(wildcard cli/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SCHEMA   := $(sort $(wildcard schema/*.sql))
KEYS_SCHEMA := $(sort $(wildcard schema/keys/*.sql))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
# libFuzzer harnesses (tests/fuzz/): clang, the library built with
# coverage instrumentation, every sanitizer that can run together.
FUZZ_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SECONDS ?= 60

.PHONY: all check check-unit check-e2e check-asan deps demo demo-stop bench \
        install clean lint fuzz fuzz-build fuzz-bin unit
all: $(BUILD)/czynsze

$(BUILD)/czynsze: $(CLI_OBJ) $(BUILD)/libczynsze.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/libczynsze.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c $(wildcard lib/*.h importer/*.h generator/*.h audit/*.h nightly/*.h cli/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCZYNSZE_VERSION='"$(VERSION)"' -c -o $@ $<

# The schema is compiled into the binary so that a deployed czynsze
# cannot run against SQL files of another version.
$(BUILD)/gen/schema_sql.c: $(SCHEMA) tools/embed-sql.sh
	@mkdir -p $(dir $@)
	sh tools/embed-sql.sh $(SCHEMA) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/keys_sql.c: $(KEYS_SCHEMA) tools/embed-sql.sh
	@mkdir -p $(dir $@)
	sh tools/embed-sql.sh -n keys_migrations $(KEYS_SCHEMA) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/%_sql.o: $(BUILD)/gen/%_sql.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/tap.h $(BUILD)/libczynsze.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libczynsze.a $(PKG_LIBS)

unit: $(UNIT_BIN)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_util.h $(BUILD)/libczynsze.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz -DFUZZ_FIXTURE_DIR='"$(CURDIR)/fixtures/ksm-20211228"' \
	    -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libczynsze.a $(PKG_LIBS)

fuzz-bin: $(FUZZ_BIN)

# `make fuzz-build`: the harnesses in build/fuzz/fuzz/ (check runs them
# briefly, tests/t0830-fuzz-smoke.sh); `make fuzz FUZZ_SECONDS=N` runs
# each for N seconds, keeping its corpus in build/fuzz/corpus/.
fuzz-build:
	$(MAKE) BUILD=build/fuzz CC=clang CFLAGS='-O1 -g' \
	    SAN_FLAGS='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' fuzz-bin

fuzz: fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_SECONDS)

# `make lint`: static analysis, clean or the build fails.  cppcheck's
# false positives are suppressed inline (cppcheck-suppress, with the
# reason beside it), and two checks everywhere:
#   varFuncNullUB  NULL as the sentinel of html_open(): glibc's NULL is
#                  ((void *)0), and __attribute__((sentinel)) checks it
#   ctuuninitvar   cross-file "uninitialised" for out-parameters that are
#                  only written (home_resolve(&h), manifest_read(&m))
# clang-tidy's checks and exclusions are in .clang-tidy.
LINT_DIRS := $(wildcard lib importer generator audit nightly cli tests/unit tests/fuzz)
LINT_SRC   = $(sort $(wildcard $(LINT_DIRS:%=%/*.c)))
lint:
	cppcheck --enable=warning,performance,portability --error-exitcode=1 --std=c11 \
	    --quiet --inline-suppr --suppress=varFuncNullUB --suppress=ctuuninitvar \
	    -Ilib -Iimporter -Igenerator -Iaudit -Inightly $(LINT_DIRS)
	printf '%s\n' $(LINT_SRC) | \
	    LINT_FLAGS='$(filter-out -Werror,$(ALL_CFLAGS)) -Itests/unit -Itests/fuzz -DCZYNSZE_VERSION="lint"' \
	    xargs -P "$$(nproc)" -n 4 sh -c 'clang-tidy --quiet "$$@" -- $$LINT_FLAGS' clang-tidy

deps:
	sh scripts/deps.sh

# `make check`: everything, including the sanitizer build and the browser
# tests.  It installs what it needs (scripts/deps.sh) when run as root.
# The sanitizer build is clang's: with gcc 12's, ASan and UBSan are two
# runtimes, and a UBSan report goes to stderr (which tests often discard)
# instead of log_path, where tests/run.sh collects every report.
check: deps
	$(MAKE) all unit
	$(MAKE) BUILD=build/asan CC=clang SAN_FLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' CFLAGS='-O1 -g' all unit
	$(MAKE) fuzz-build
	$(MAKE) lint
	BUILD=$(BUILD) CZYNSZE_REQUIRE_FUZZ=1 sh tests/run.sh

# `make demo` installs only what it needs (the build, nginx), then builds
# in a second make: this one read the pkg-config flags (:=) before the
# packages were there (tests/t0900-demo-fresh.sh).
demo:
	CZYNSZE_DEPS=demo sh scripts/deps.sh
	$(MAKE) all
	sh scripts/demo.sh start

demo-stop:
	sh scripts/demo.sh stop

bench: all
	sh tests/bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/czynsze \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/doc/czynsze/examples
	install -m 755 $(BUILD)/czynsze $(DESTDIR)$(PREFIX)/bin/czynsze
	rm -rf $(DESTDIR)$(PREFIX)/share/czynsze/site-templates
	cp -R site-templates $(DESTDIR)$(PREFIX)/share/czynsze/
	install -m 644 man/czynsze.1 $(DESTDIR)$(PREFIX)/share/man/man1/czynsze.1
	install -m 644 examples/crontab examples/czynsze-nightly.service \
	    examples/czynsze-nightly.timer examples/logrotate examples/czynsze.conf \
	    $(DESTDIR)$(PREFIX)/share/doc/czynsze/examples/
	install -m 755 examples/publish-rsync.sh $(DESTDIR)$(PREFIX)/share/doc/czynsze/examples/

clean:
	rm -rf build
