package ui

import "net/url"

// keyset is how a list reached this page, for its page links: the list's address and the filters its
// links keep, whether the request read forwards from a cursor (?after=) or backwards (?before=), and
// whether the query found a row beyond the page in the direction it read.
type keyset struct {
	Path          string
	Keep          url.Values
	After, Before bool
	More          bool
}

// href is the list's address with the filters kept and the cursor added.
func (k keyset) href(cursor url.Values) string {
	q := url.Values{}
	for key, vs := range k.Keep {
		if vs[0] != "" {
			q[key] = append([]string(nil), vs...)
		}
	}
	for key, vs := range cursor {
		q[key] = vs
	}
	if len(q) == 0 {
		return k.Path
	}
	return k.Path + "?" + q.Encode()
}

// links are the next and previous page links of a list paged both ways. Reading forwards, there is a
// next page when the query found more and a previous one when it started from a cursor; reading
// backwards, the reverse. first and last name the cursor of the page's first and last rows; with
// no rows there are no links.
func (k keyset) links(rows int, first, last func(dir string) url.Values) (prev, next string) {
	if rows == 0 {
		return "", ""
	}
	if (!k.Before && k.More) || k.Before {
		next = k.href(last("after"))
	}
	if k.After || (k.Before && k.More) {
		prev = k.href(first("before"))
	}
	return prev, next
}

// nextOnly is the next page link of a list read one way only (newest first, say): a link when the
// query found more, with the last row's cursor.
func (k keyset) nextOnly(rows int, last url.Values) string {
	if rows == 0 || !k.More {
		return ""
	}
	return k.href(last)
}

// idCursor names a row by its ID: after=12.
func idCursor(id int64) func(dir string) url.Values {
	return func(dir string) url.Values { return url.Values{dir: {itoa(id)}} }
}

// nameCursor names a row in a list sorted by name: after=12&after_name=Ann+Bell.
func nameCursor(id int64, name string) func(dir string) url.Values {
	return func(dir string) url.Values { return url.Values{dir: {itoa(id)}, dir + "_name": {name}} }
}
