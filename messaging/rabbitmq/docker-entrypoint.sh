#!/bin/sh
# Entrypoint of the barback/rabbitmq image (messaging/Dockerfile), run as the
# rabbitmq user. It honours the two settings compose and Kubernetes pass:
#   RABBITMQ_ERLANG_COOKIE  written to ~/.erlang.cookie (mode 0600), which the
#                           server and the CLI tools (healthchecks, rabbitmqctl)
#                           read; every node of a cluster needs the same one.
#   RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS
#                           the administrator created when the cluster first
#                           starts (RabbitMQ's default_user / default_pass),
#                           written as a file of the conf.d directory RabbitMQ
#                           reads (RABBITMQ_CONFIG_FILES); ignored once data exists.
set -eu

if [ -n "${RABBITMQ_ERLANG_COOKIE:-}" ]; then
  rm -f "$HOME/.erlang.cookie"
  (umask 077; printf '%s' "$RABBITMQ_ERLANG_COOKIE" > "$HOME/.erlang.cookie")
fi

users="${RABBITMQ_CONFIG_FILES:-/etc/rabbitmq/conf.d}/15-default-user.conf"
rm -f "$users"
if [ -n "${RABBITMQ_DEFAULT_USER:-}" ] && [ -n "${RABBITMQ_DEFAULT_PASS:-}" ]; then
  (umask 077; {
    printf 'default_user = %s\n' "$RABBITMQ_DEFAULT_USER"
    printf 'default_pass = %s\n' "$RABBITMQ_DEFAULT_PASS"
    # The first user administers the cluster (management UI, rabbitmqctl-free checks).
    printf 'default_user_tags.administrator = true\n'
    printf 'default_permissions.configure = .*\ndefault_permissions.read = .*\ndefault_permissions.write = .*\n'
  } > "$users")
fi

exec "$@"
