package httpapi

// The skills and learning operations live in learning_*.go, one file per
// area; this file holds what they share.

// ItemList is a response of every item at once, for collections that are
// small by nature (scales, a person's skills): {"items": [...]}.
type ItemList[T any] struct {
	Items []T `json:"items"`
}

// items wraps a slice as an ItemList; nil becomes an empty list.
func items[T any](v []T) *bodyOutput[ItemList[T]] {
	if v == nil {
		v = []T{}
	}
	return &bodyOutput[ItemList[T]]{Body: ItemList[T]{Items: v}}
}
