package okr

// RecognitionStore is what lessons, kudos and celebrations need from the database.
type RecognitionStore interface{}
