# gradtrace: multi-stage build; the runtime image holds one static-ish binary and a non-root user.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN useradd --system --no-create-home --uid 10001 gradtrace
COPY --from=build /src/target/release/gradtrace /usr/local/bin/gradtrace
USER gradtrace
ENV GRADTRACE_ADDR=0.0.0.0:8080
EXPOSE 8080
# The runtime image has no curl; the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD ["gradtrace", "healthcheck", "--addr", "127.0.0.1:8080"]
ENTRYPOINT ["gradtrace"]
CMD ["serve"]
