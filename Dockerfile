# Aether Panel: the appliance image.
#
#   docker build -t aether-panel .
#
# Both stages come from arguments, so the image also builds with no registry from locally made bases
# (`node scripts/local-base-images.js` prints the --build-arg flags for images made of this host's Debian packages).
# BUILD_IMAGE needs Node.js with npm, python3, make and a C++ compiler; BASE_IMAGE needs the C and C++ runtime and
# gets node from the build stage, so the final image has neither npm nor a compiler.
ARG BUILD_IMAGE=node:24-bookworm
ARG BASE_IMAGE=debian:bookworm-slim

FROM ${BASE_IMAGE} AS base

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
COPY package.json package-lock.json ./
# Every dependency (the UI is built with the dev ones), the native ones compiled here, then the dev ones dropped.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bin bin
COPY scripts scripts
COPY rules rules
COPY templates templates
COPY src src
RUN npm run build:ui \
 && node --input-type=module -e "await (await import('./scripts/analyzer-build.js')).ensureAnalyzer()" \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/.cache /root/.npm
# The account the panel runs as, added to the base's own, and the directories its volumes start from.
COPY --from=base /etc/passwd /etc/group /tmp/base-etc/
RUN mkdir -p /out/etc /out/var/lib/aether /out/var/log/aether /out/var/backups/aether /out/etc/aether-gatus /out/var/lib/aether-gatus \
 && { cat /tmp/base-etc/passwd; echo 'aether:x:10001:10001:Aether Panel:/var/lib/aether:/usr/sbin/nologin'; } > /out/etc/passwd \
 && { cat /tmp/base-etc/group; echo 'aether:x:10001:'; } > /out/etc/group \
 && chmod 0750 /out/var/lib/aether /out/var/log/aether /out/var/backups/aether \
 && chmod 0750 /out/etc/aether-gatus /out/var/lib/aether-gatus

FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.title="Aether Panel" \
      org.opencontainers.image.description="Self-hosted, security-hardened panel for game and application servers in Docker."
COPY --from=build /usr/local/bin/node /usr/local/bin/node
COPY --from=build /out/etc/passwd /out/etc/group /etc/
COPY --from=build --chown=10001:10001 /out/var/lib/aether /var/lib/aether
COPY --from=build --chown=10001:10001 /out/var/log/aether /var/log/aether
COPY --from=build --chown=10001:10001 /out/var/backups/aether /var/backups/aether
COPY --from=build --chown=10001:10001 /out/etc/aether-gatus /etc/aether-gatus
# Gatus's state: in the compose file its volume is mounted here first, so that it starts owned by uid 10001.
COPY --from=build --chown=10001:10001 /out/var/lib/aether-gatus /var/lib/aether-gatus
# The application is root's and read only to the panel.
COPY --from=build /build /opt/aether
WORKDIR /opt/aether
ENV NODE_ENV=production \
    AETHER_CONFIG=/var/lib/aether/config.json \
    AETHER_DATA_DIR=/var/lib/aether \
    AETHER_LOG_DIR=/var/log/aether \
    AETHER_BACKUP_DIR=/var/backups/aether \
    AETHER_HTTP_HOST=0.0.0.0 \
    AETHER_HTTP_PORT=8080 \
    AETHER_SFTP_PORT=5657
VOLUME ["/var/lib/aether", "/var/log/aether", "/var/backups/aether"]
EXPOSE 8080/tcp 5657/tcp
USER 10001:10001
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/opt/aether/bin/healthcheck.js"]
ENTRYPOINT ["node", "/opt/aether/bin/aether.js"]
CMD ["start"]
