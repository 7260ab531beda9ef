package web

import (
	"net/url"
	"strconv"
)

// Pager links the pages of a cursor-paginated listing.
type Pager struct {
	Prev string // link to the first page, when not on it
	Next string // link to the next page, when there is one
}

// NewPager builds links from the current query: next carries the cursor in the
// "after" parameter; prev returns to the first page.
func NewPager(path string, query url.Values, after, next int64) Pager {
	var p Pager
	q := url.Values{}
	for k, v := range query {
		if k != "after" {
			q[k] = v
		}
	}
	if after > 0 {
		p.Prev = path + "?" + q.Encode()
	}
	if next > 0 {
		q.Set("after", strconv.FormatInt(next, 10))
		p.Next = path + "?" + q.Encode()
	}
	return p
}
