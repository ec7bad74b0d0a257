package okr

// ReviewStore is what the period review needs from the database.
type ReviewStore interface{}
