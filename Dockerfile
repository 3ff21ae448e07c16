# kbc-storage-extract in a container: Debian 12, built from this source tree.
#   docker build -t kbc-storage-extract .
#   docker run --rm -e KBC_SOURCE_TOKEN -e KBC_DESTINATION_TOKEN \
#     -v "$PWD/config.json:/work/config.json:ro" kbc-storage-extract run /work/config.json
# The image build is not part of CI: no image can be pulled on the machines the tests run on
# (README.md, "Install"). tests/install checks the runtime stage's packages against ldd.

# Build stage: the compiler and the -dev packages (the same as scripts/install-deps.sh).
FROM debian:12 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev libspdlog-dev \
      libcpp-httplib-dev libsqlite3-dev libssl-dev zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKBC_BUILD_TESTS=OFF \
 && cmake --build /build --target kbc-storage-extract cli_docs \
 && cmake --install /build --prefix /opt/kbc --component kbc-storage-extract --strip

# Runtime stage: only the shared libraries kbc-storage-extract links (each package below owns
# one of its ELF NEEDED entries; apt brings what they need) and the CA certificates its HTTPS
# requests verify against.
FROM debian:12-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libc6 \
      libcurl4 \
      libfmt9 \
      libgcc-s1 \
      libspdlog1.10 \
      libssl3 \
      libstdc++6 \
      zlib1g \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/kbc/bin/kbc-storage-extract /usr/local/bin/kbc-storage-extract
COPY --from=build /opt/kbc/share/doc/kbc-storage-extract/LICENSE /usr/share/doc/kbc-storage-extract/LICENSE
RUN useradd --system --uid 10001 --home-dir /work --create-home --shell /usr/sbin/nologin kbc
USER kbc
WORKDIR /work
ENTRYPOINT ["kbc-storage-extract"]
CMD ["--help"]
