# Basalt in a container: build with the dev dependencies, run with the runtime ones only, as a non-root user.
#   docker build -t basalt .
#   docker run -p 4599:4599 -v "$PWD/basalt.yaml:/app/basalt.yaml:ro" -v basalt-data:/app/.basalt basalt
# (Not built by the test suite: keep it minimal.)

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary can be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json ./
COPY scripts ./scripts
COPY spec ./spec
COPY src ./src
# npm ci runs `prepare` (tsc → dist/); then the dev dependencies go.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    BASALT_HOST=0.0.0.0 \
    PORT=4599
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json README.md ./
COPY spec ./spec
COPY docs ./docs
# The data directory (SQLite ledger, jobs, local blobs: server.dataDir, default ./.basalt) belongs to the runtime user.
RUN mkdir -p /app/.basalt && chown node:node /app/.basalt
VOLUME /app/.basalt
USER node
EXPOSE 4599
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/_basalt/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Graceful stop: in-flight requests finish within server.shutdownGraceMs (default 10 s; docker stop waits 10 s
# before SIGKILL, so pass --stop-timeout 15 or lower the grace).
STOPSIGNAL SIGTERM
# node directly (PID 1 gets SIGTERM itself; Basalt handles it), a config at /app/basalt.yaml is found by default.
ENTRYPOINT ["node", "dist/cli.js"]
