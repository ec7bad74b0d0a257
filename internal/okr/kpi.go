package okr

// KPIStore is what the KPI use cases need from the database.
type KPIStore interface{}
