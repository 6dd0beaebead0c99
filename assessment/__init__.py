"""Assessment (考核): the KPIs of the assessment mechanism, computed from chain events (see assessment.kpis)."""
