# Signet: `make run` and `make test` do all the set-up on a fresh Debian machine.
BUILD_DIR ?= build
# The libFuzzer targets (docs/FUZZING.md) build with clang in their own directory.
FUZZ_BUILD_DIR ?= build-fuzz
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)

.PHONY: all deps configure build run test unit-test integration-test bench format tidy clean fuzz \
	sanitize-build sanitize-test

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_EXPORT_COMPILE_COMMANDS=ON

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)
	scripts/build-console.sh $(BUILD_DIR)

run: build
	$(BUILD_DIR)/bin/signetd serve $(ARGS)

$(FUZZ_BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DSIGNET_FUZZ=ON

# Only the fuzz_* executables (the `fuzz` target of test/fuzz), not the whole project again.
fuzz: $(FUZZ_BUILD_DIR)/build.ninja
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target fuzz

# The unit tests again, built by clang with ASan and UBSan in the fuzz build.
SANITIZED_TESTS := common_test sa_test accounts_test jobs_test policy_test ca_test va_test \
	acme_test wfe_test
sanitize-build: $(FUZZ_BUILD_DIR)/build.ninja
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target $(SANITIZED_TESTS)

sanitize-test: sanitize-build
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  scripts/run-tests.sh $(FUZZ_BUILD_DIR) -L unit -E 'NOT_BUILT|^bench'

test: build fuzz sanitize-build
	scripts/run-tests.sh $(BUILD_DIR)
	$(MAKE) --no-print-directory sanitize-test
	scripts/fuzz-smoke.sh $(FUZZ_BUILD_DIR)

bench: build
	bench/http-get.sh $(BUILD_DIR)

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

tidy: configure
	run-clang-tidy -p $(BUILD_DIR) -quiet 'src/|cli/|bench/' 2>/dev/null || clang-tidy -p $(BUILD_DIR) $$(git ls-files 'src/*.cc')

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_BUILD_DIR)
