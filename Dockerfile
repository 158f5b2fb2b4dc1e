# syntax=docker/dockerfile:1
# The bot (and its REST proxy) as compiled JavaScript on Node 24. One image for both:
#   bot:   node dist/src/main.js        (the default command)
#   proxy: node dist/src/restProxy.js
# See "Deploying with Docker" in README.md, and docker-compose.yml.

# Compile TypeScript with the dev dependencies (no install scripts: tsc needs no native module).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY commands commands
RUN npm run build

# The production dependencies alone, better-sqlite3 compiled from source (python3, make, g++).
FROM node:24-bookworm-slim AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# better-sqlite3 12 derives from node::ObjectWrap, whose header changed in Node 24.19: built
# against 24.19+ headers it aborts the process when a statement is garbage-collected
# (nodejs/node#65446). Compile it against 24.18.1's headers (same ABI, runs on every 24.x).
# Drop both settings once better-sqlite3 13 (Node-API, Node >= 22) replaces 12.
ENV npm_config_build_from_source=true \
    npm_config_target=24.18.1
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev

FROM node:24-bookworm-slim
# tini as PID 1: it forwards SIGTERM to node (which drains and exits) and reaps children.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/dist dist
# The shipped pages and sources.json seed a new named volume; the bot's state (snapshot, SQLite)
# is written beside them, owned by the unprivileged user the bot runs as.
COPY --chown=node:node data /data
VOLUME /data
USER node
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
