package models

// LiveTables lists the tables of the live capability, in creation order.
func LiveTables() []any { return nil }
