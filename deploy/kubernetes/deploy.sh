#!/usr/bin/env bash
# Deploys Palabre to the current Kubernetes context: the infrastructure above, then each service's manifest as the
# build generated it (quarkus-kubernetes), so the manifests never drift from the services' configuration.
# Images: build and push palabre/<service>:0.1.0-SNAPSHOT (see <service>/src/main/docker/Dockerfile.jvm) first.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
for service in ingest-service analysis-service dashboard-service; do
  [ -f "$service/target/kubernetes/kubernetes.yml" ] || ./mvnw package -DskipTests
done
kubectl apply -f deploy/kubernetes/infrastructure.yaml
for service in ingest-service analysis-service dashboard-service; do
  kubectl apply -f "$service/target/kubernetes/kubernetes.yml"
done
