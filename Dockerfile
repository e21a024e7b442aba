FROM node:20-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
COPY bin ./bin
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY state-machines ./state-machines
COPY fixtures ./fixtures
RUN npm ci && npm prune --omit=dev
# A container listens on every interface (the engine's own default is this machine only).
ENV U4SSC_HOST=0.0.0.0
EXPOSE 3000
CMD ["node", "bin/u4ssc.js", "serve"]
