#!/bin/sh
# the distribution's script of the same name
exec /opt/kafka/bin/kafka-run-class.sh org.apache.kafka.tools.TopicCommand "$@"
