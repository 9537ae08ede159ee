-- Dialogue metrics are dashboard-service's question, computed from its read model: analysis-service no longer
-- records which mentions interact with an organisation account.
drop table organisation_interaction;
