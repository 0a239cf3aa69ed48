# PostgreSQL from Debian's own packages, for a machine that reaches Debian's archive but no image
# registry (deploy/ci-container.sh builds it FROM a base made there with mmdebstrap). It takes the
# official postgres image's settings, so docker-compose.yml runs it unchanged:
#   podman build -f deploy/images/postgres.Dockerfile --build-arg BASE_IMAGE=localhost/parley-base -t localhost/parley-postgres deploy/images
#   POSTGRES_IMAGE=localhost/parley-postgres podman-compose ... up
# POSTGRES_USER, POSTGRES_PASSWORD (required), POSTGRES_DB; data in /var/lib/postgresql/data.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)" /usr/local/lib/postgresql-bin
ENV PGDATA=/var/lib/postgresql/data \
    PATH=/usr/local/lib/postgresql-bin:$PATH
COPY postgres-entrypoint.sh /usr/local/bin/parley-postgres-entrypoint
VOLUME ["/var/lib/postgresql/data"]
EXPOSE 5432
STOPSIGNAL SIGINT
HEALTHCHECK --interval=5s --timeout=3s --retries=20 CMD ["pg_isready", "-h", "127.0.0.1"]
ENTRYPOINT ["/usr/local/bin/parley-postgres-entrypoint"]
