#!/usr/bin/env bash
# Deploys Palabre to the current Kubernetes context (namespace palabre), in this order: the namespace, the Secrets
# (drawn once, kept afterwards), Kafka and PostgreSQL, the three services as the build generated their manifests
# (target/kubernetes/kubernetes.yml, so they never drift from the services' configuration), then policies.yaml.
#
#   deploy/kubernetes/deploy.sh [options]
#     --infrastructure statefulsets  Kafka and PostgreSQL as plain StatefulSets (default; any cluster)
#     --infrastructure operators     Strimzi Kafka/KafkaTopic and a CloudNativePG Cluster (operators installed first)
#     --with-monitoring              also the Prometheus Operator's ServiceMonitor (monitoring/)
#     --skip-build                   use the manifests already in <service>/target/kubernetes
#     --dry-run DIR                  apply nothing: write every manifest, in the order it would be applied, to DIR
#                                    (the Secrets as they would be made); no cluster and no kubectl needed
#
# Images: the manifests name <registry>/<group>/<service>:<tag> as the build was told (PALABRE_IMAGE_REGISTRY,
# PALABRE_IMAGE_GROUP, PALABRE_IMAGE_TAG); build and push them with
#   PALABRE_IMAGE_REGISTRY=registry.example.org ./mvnw package -DskipTests \
#     -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/deploy/kubernetes"
services=(ingest-service analysis-service dashboard-service)

infrastructure=statefulsets
monitoring=false
build=true
dry_run=""
while [ $# -gt 0 ]; do
  case "$1" in
    --infrastructure) infrastructure="${2:?--infrastructure needs statefulsets or operators}"; shift 2 ;;
    --with-monitoring) monitoring=true; shift ;;
    --skip-build) build=false; shift ;;
    --dry-run) dry_run="${2:?--dry-run needs a directory}"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "deploy.sh: unknown option $1 (--help lists them)" >&2; exit 2 ;;
  esac
done
case "$infrastructure" in
  statefulsets) infra_files=("$here/infrastructure.yaml") ;;
  operators) infra_files=("$here/operators/strimzi-kafka.yaml" "$here/operators/cloudnative-pg.yaml") ;;
  *) echo "deploy.sh: --infrastructure is statefulsets or operators, not $infrastructure" >&2; exit 2 ;;
esac

if [ -z "$dry_run" ] && ! command -v kubectl >/dev/null 2>&1; then
  echo "deploy.sh: kubectl is not installed (--dry-run DIR writes the manifests without it)" >&2
  exit 1
fi

for service in "${services[@]}"; do
  manifest="$root/$service/target/kubernetes/kubernetes.yml"
  if [ ! -f "$manifest" ]; then
    if [ "$build" = true ]; then
      (cd "$root" && ./mvnw -q -B package -DskipTests)
    else
      echo "deploy.sh: $manifest is missing; build first (./mvnw package -DskipTests)" >&2
      exit 1
    fi
  fi
done

if [ -n "$dry_run" ]; then
  mkdir -p "$dry_run"
  rm -f "$dry_run"/*.yaml
fi
step=0
# Applies a file, or in a dry run writes it as the next step.
apply() {
  step=$((step + 1))
  if [ -n "$dry_run" ]; then
    cp "$1" "$(printf '%s/%02d-%s' "$dry_run" "$step" "$2")"
  else
    kubectl apply -f "$1"
  fi
}

# A Secret made once with generated values: an existing one is kept (a second deploy never changes a password).
secret() {
  local name=$1 file
  shift
  if [ -z "$dry_run" ] && kubectl -n palabre get secret "$name" >/dev/null 2>&1; then
    return
  fi
  file=$(mktemp)
  {
    printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n  namespace: palabre\n' "$name"
    if [ "${1:-}" = "--type" ]; then
      printf 'type: %s\n' "$2"
      shift 2
    else
      printf 'type: Opaque\n'
    fi
    if [ $# -gt 0 ]; then
      printf 'stringData:\n'
      for pair in "$@"; do
        printf '  %s: "%s"\n' "${pair%%=*}" "${pair#*=}"
      done
    fi
  } > "$file"
  apply "$file" "secret-$name.yaml"
  rm -f "$file"
}

draw() {
  head -c 24 /dev/urandom | base64 | tr -d '/+=\n' | cut -c1-24
}

apply "$here/namespace.yaml" namespace.yaml
db_password=$(draw)
secret palabre-db QUARKUS_DATASOURCE_USERNAME=palabre "QUARKUS_DATASOURCE_PASSWORD=$db_password"
if [ "$infrastructure" = operators ]; then
  secret palabre-db-owner --type kubernetes.io/basic-auth username=palabre "password=$db_password"
fi
# The first admin, made by dashboard-service at its first start when there is no user yet.
secret palabre-admin "PALABRE_ACCESS_BOOTSTRAP_ADMIN_PASSWORD=$(draw)"
# Platform credentials and connector settings for ingest-service (PALABRE_CONNECTORS_MASTODON_TOKEN,
# PALABRE_CONNECTORS_X_BEARER_TOKEN, ...: the README's connector table): made empty, filled by the operator, e.g.
#   kubectl -n palabre patch secret palabre-platforms -p '{"stringData":{"PALABRE_CONNECTORS_MASTODON_TOKEN":"..."}}'
secret palabre-platforms
for file in "${infra_files[@]}"; do
  apply "$file" "$(basename "$file")"
done
for service in "${services[@]}"; do
  apply "$root/$service/target/kubernetes/kubernetes.yml" "$service.yaml"
done
apply "$here/policies.yaml" policies.yaml
if [ "$monitoring" = true ]; then
  apply "$here/monitoring/service-monitors.yaml" service-monitors.yaml
fi

if [ -n "$dry_run" ]; then
  echo "deploy.sh: $step manifests written to $dry_run, in the order they would be applied"
else
  echo "Palabre deployed in namespace palabre. First admin: user admin; password:"
  echo "  kubectl -n palabre get secret palabre-admin \\"
  echo "    -o jsonpath='{.data.PALABRE_ACCESS_BOOTSTRAP_ADMIN_PASSWORD}' | base64 -d"
  echo "The web UI: kubectl -n palabre port-forward service/dashboard-service 8080:80, then http://localhost:8080"
fi
