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
# The first admin's password, drawn once and kept in a Secret; dashboard-service makes the admin at its first start.
if ! kubectl -n palabre get secret palabre-admin >/dev/null 2>&1; then
  kubectl -n palabre create secret generic palabre-admin \
    --from-literal=PALABRE_ACCESS_BOOTSTRAP_ADMIN_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
  echo "First admin: user admin; password: kubectl -n palabre get secret palabre-admin" \
    "-o jsonpath='{.data.PALABRE_ACCESS_BOOTSTRAP_ADMIN_PASSWORD}' | base64 -d"
fi
for service in ingest-service analysis-service dashboard-service; do
  kubectl apply -f "$service/target/kubernetes/kubernetes.yml"
done
