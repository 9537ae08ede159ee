-- One database per service (docker-compose and Kubernetes PostgreSQL).
create database palabre_ingest;
create database palabre_analysis;
create database palabre_dashboard;
