#!/bin/sh
# Makes the compose stack's development token key pair once (kept in ./.byok/compose/dev-jwt): private.pem (PKCS#8,
# owner-only) signs development admin tokens, public.pem is what the services verify with. Never for production.
set -eu
cd /jwt
if [ ! -s private.pem ]; then
  umask 077
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out private.pem 2> /dev/null
fi
openssl pkey -in private.pem -pubout -out public.pem
chmod 0644 public.pem
chmod 0755 .
