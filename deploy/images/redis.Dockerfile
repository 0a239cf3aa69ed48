# Redis from Debian's own packages (see postgres.Dockerfile for why and how). Like the official
# redis image: `redis-server [options]` runs as the redis user in /data, reachable from the other
# containers (protected mode off: only the compose network reaches it; no port is published).
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/parley-redis-entrypoint
WORKDIR /data
VOLUME ["/data"]
EXPOSE 6379
HEALTHCHECK --interval=5s --timeout=3s --retries=20 CMD ["redis-cli", "ping"]
ENTRYPOINT ["/usr/local/bin/parley-redis-entrypoint"]
CMD ["redis-server"]
