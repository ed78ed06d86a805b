#!/bin/sh
# the distribution's script of the same name
exec /opt/kafka/bin/kafka-run-class.sh kafka.admin.ConfigCommand "$@"
