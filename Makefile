# gaitkeeper: the two commands a new user runs are `make demo` and `make check`.
# Both install what is missing (Debian packages, with sudo when not root).

JOBS ?= 2
FUZZ_SECONDS ?= 60

.PHONY: all demo check bench deps clean

all:
	./scripts/install-deps.sh build
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release
	cmake --build build/release -j$(JOBS)

demo: all
	./build/release/gaitkeeper demo

# Sanitizers (ASan + UBSan) on everything, every test, the fuzzers for a
# bounded time; ends with CTest's summary line.
check:
	./scripts/install-deps.sh check
	./tests/oracle/setup.sh
	./scripts/setup-models.sh
	./tests/mediapipe/setup.sh
	./tests/browser/setup.sh
	cmake -S . -B build/check -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
	  -DGK_SANITIZE=ON -DGK_BUILD_FUZZERS=ON -DGK_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build build/check -j$(JOBS)
	cd build/check && ctest --output-on-failure -j$(JOBS)

bench:
	./scripts/install-deps.sh bench
	./tests/oracle/setup.sh
	./scripts/setup-models.sh
	./tests/mediapipe/setup.sh
	cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release
	cmake --build build/release -j$(JOBS)
	./tools/bench.sh build/release
	./build/release/bench_load
	./build/release/bench_gait2d
	./build/release/bench_report
	./build/release/bench_course
	./build/release/bench_gait3d ../shared/data
	./tools/bench_import.sh build/release
	./tools/bench_serve.sh build/release
	test -f build/release/clip1080.mp4 || ffmpeg -nostdin -loglevel error -f lavfi \
	  -i testsrc2=s=1920x1080:r=60 -t 10 -c:v libx264 -preset veryfast -crf 23 \
	  -pix_fmt yuv420p build/release/clip1080.mp4
	./build/release/bench_video build/release/clip1080.mp4
	test -f build/release/demo1080.mp4 || ffmpeg -nostdin -loglevel error \
	  -i ../shared/data/pose/videos/sports2d_demo.mp4 -an -vf scale=1920:1080 \
	  -c:v libx264 -preset medium -crf 20 -pix_fmt yuv420p build/release/demo1080.mp4
	test -f build/release/demo4k.mp4 || ffmpeg -nostdin -loglevel error \
	  -i ../shared/data/pose/videos/sports2d_demo.mp4 -an -vf scale=3840:2160 \
	  -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p build/release/demo4k.mp4
	./tools/bench_video.sh build/release/gaitkeeper build/release/demo1080.mp4 \
	  build/release/demo4k.mp4

clean:
	rm -rf build
