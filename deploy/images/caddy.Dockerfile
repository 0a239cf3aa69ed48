# Caddy from Debian's own packages (see postgres.Dockerfile for why and how). Like the official
# caddy image: /etc/caddy/Caddyfile, certificates and the local CA in /data, state in /config.
# Debian's Caddy is 2.6, which has no `stream_close_delay` (2.7): deploy/Caddyfile reads that line
# from PARLEY_CADDY_STREAM, set here to a directive 2.6 has.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends caddy ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data /config /srv
ENV XDG_CONFIG_HOME=/config \
    XDG_DATA_HOME=/data \
    PARLEY_CADDY_STREAM="flush_interval -1"
WORKDIR /srv
VOLUME ["/data", "/config"]
EXPOSE 80 443 443/udp
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
