# Parley: a multi-stage image. Build: `docker build -t parley:local .` (or podman).
# The base is a build argument so an offline CI can use a locally made base image with Node 20+
# (e.g. `--build-arg BASE_IMAGE=localhost/debian-node:trixie`); the public node image by default.
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles itself when no prebuilt binary matches the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Offline builds (no GitHub for better-sqlite3's prebuilt binary, no nodejs.org for Node's
# headers): pass --build-arg npm_config_nodedir=/usr with a base image that has /usr/include/node.
ARG npm_config_nodedir
# Behind a TLS-inspecting proxy: mount its CA bundle for the build and name it here (never copied into a layer).
ARG NODE_EXTRA_CA_CERTS
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build -- --force && npm prune --omit=dev --no-audit --no-fund

FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
RUN groupadd --system parley \
 && useradd --system --gid parley --home-dir /app --shell /usr/sbin/nologin parley \
 && mkdir -p /data \
 && chown parley:parley /data
# Owned by root, read-only to the server: only /data is writable.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The sources too: `npm run worker`, `backup`, `restore` and `migrate` run them through tsx.
COPY --from=build /app/server ./server
COPY --from=build /app/db ./db
COPY --from=build /app/protocol ./protocol
COPY --from=build /app/ai-worker ./ai-worker
USER parley
VOLUME ["/data"]
EXPOSE 8080
# Ready means sign-in works: database up, migrations applied, first start finished, Redis up when configured.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=4", "dist/server/main.mjs"]
