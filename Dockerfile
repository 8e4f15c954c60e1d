# DueProcess application image: one image, three entry points.
#   API (default):  node dist/bin/api.js
#   Worker:         node dist/bin/worker.js
#   Migrations:     node dist/bin/migrate.js
# Only classic-builder features are used, so `docker build`, `docker compose build` and
# docker-compose 1.29 (which does not enable BuildKit by default) all build it the same way.

############################ base ############################
FROM node:20-bookworm-slim AS base
# openssl: Prisma detects libssl at generate time and loads its engine against it at run time
#          (the slim image ships without it).
# tini:    PID 1 that forwards SIGTERM/SIGINT to node, so the Temporal worker and the API shut
#          down gracefully on `docker stop` instead of being killed after the grace period.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates openssl tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

############################ build ############################
FROM base AS build
# Manifests first so the dependency layer is cached until they change.
COPY package.json package-lock.json ./
# Dependency install scripts stay off (see package.json "allowScripts"); the only generation step
# the app needs, `prisma generate`, is run explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# `prisma generate` never connects to a database. The placeholder (no credentials) only keeps a
# schema's env("DATABASE_URL") resolvable during the build; it is not kept in the image.
RUN DATABASE_URL=postgresql://localhost:5432/placeholder npx prisma generate
RUN npm run build
# Drop devDependencies for the runtime stage; the generated Prisma client is compiled into dist/.
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM base AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Files stay owned by root and are only readable by the runtime user: the app cannot modify itself.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/templates ./templates
COPY --from=build /app/calendars ./calendars
COPY --from=build /app/dist ./dist
# `prisma migrate deploy` (dist/bin/migrate.js) loads prisma.config.ts, which needs the pool module.
COPY --from=build /app/prisma.config.ts ./prisma.config.ts
COPY --from=build /app/lib/db-pool.ts ./lib/db-pool.ts
# Unprivileged `node` user of the base image, given numerically so that orchestrators enforcing
# runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/bin/api.js"]
