#!/bin/bash
# The image's HEALTHCHECK: GET PATH on the admin port over loopback; healthy on 200 only (503, 401, no answer,
# nothing listening: unhealthy). bash's /dev/tcp, because the base image promises neither curl nor wget (Temurin
# images have dropped curl before). Port and token come from the variables the gateway itself reads, so a
# GATEWAY_ADMIN_PORT or GATEWAY_ADMIN_TOKEN set on the container is used here too (a token set only in
# config/application.properties is not: set it in the environment).
# usage: healthcheck.sh PATH
set -u
path="${1:?usage: healthcheck.sh PATH}"
port="${GATEWAY_ADMIN_PORT:-9025}"
auth=""
if [ -n "${GATEWAY_ADMIN_TOKEN:-}" ]; then
    auth="Authorization: Bearer ${GATEWAY_ADMIN_TOKEN}"$'\r\n'
fi
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n%sConnection: close\r\n\r\n' "$path" "$port" "$auth" >&3
# the status line, e.g. "HTTP/1.1 200 OK"; the JSON body does not matter here
read -r -t 4 _ status _ <&3 || exit 1
[ "$status" = 200 ]
