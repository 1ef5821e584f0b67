# syntax=docker/dockerfile:1
# The gateway as a container image: `docker build -t incident-graphql-gateway .`
# test/e2e/readme-commands.test.ts runs these steps as plain commands in a copy
# of the repository (same files, same commands) on every `npm test`; keep to
# the instructions it understands (FROM, ARG, WORKDIR, COPY, RUN, ENV, USER,
# EXPOSE, HEALTHCHECK, CMD).
ARG NODE_IMAGE=node:22-bookworm-slim

# Build: every dependency, then compile the TypeScript to dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY examples ./examples
COPY src ./src
RUN npm run build

# Runtime: production dependencies and the compiled code only, as an unprivileged user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY schema ./schema
COPY examples ./examples
COPY src/sandbox/openapi ./src/sandbox/openapi
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# node:*-slim has no curl: Node's own fetch asks /healthz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--max-semi-space-size=64", "dist/src/main.js"]
