package ui

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/coventry-cap/capportal/web/components"
	"github.com/coventry-cap/capportal/web/pages"
)

// orgFilterSelectMax is the most schools or providers a list's filter offers as a select; past it
// (a national service has hundreds) the filter is a name to type, so that the page does not grow
// with the directory.
const orgFilterSelectMax = 100

// orgNamedMax is the most organisations a typed name keeps the rows of.
const orgNamedMax = 1000

// orgFilter is a list's filter by school or by provider (the referral list's, the directory's).
type orgFilter struct {
	kind     string // "school" or "provider", as organisations.kind
	what     string // what the page calls one: "school", "training provider"
	shown    string // what the list shows: "referrals", "programmes"
	param    string // the select's parameter; the typed name's is param + "_name"
	anyLabel string
	retired  bool // offer retired ones too, marked so
}

// orgChoice is what an orgFilter offers and what was chosen with it.
type orgChoice struct {
	options []components.Option // the select's options, when there are few enough organisations
	chosen  int64               // the organisation chosen in the select, when it is one of its options
	name    *pages.NameFilter   // the name to type, when there are too many for a select
	ids     []int64             // the organisations whose names contain it (nil when nothing was typed)
}

// orgFilter offers the organisations of a kind as a select (the options, and the one chosen if it
// is among them) when there are at most orgFilterSelectMax of them, and otherwise as a name to type
// (the NameFilter): then the ids are those of the organisations whose names contain what was typed,
// ignoring case and surrounding spaces (nil when nothing was typed, empty when nothing matched), and
// the filter's note says when none or several matched.
func (s *Server) orgFilter(ctx context.Context, q url.Values, of orgFilter) (orgChoice, error) {
	var c orgChoice
	orgs, err := s.filterOrganisations(ctx, of.kind, of.retired)
	if err != nil {
		return c, err
	}
	if len(orgs) <= orgFilterSelectMax {
		var opts []components.Option
		for _, o := range orgs {
			label := o.Name
			if !o.Active {
				label += " (retired)"
			}
			if q.Get(of.param) == itoa(o.ID) {
				c.chosen = o.ID
			}
			opts = append(opts, components.Option{Value: itoa(o.ID), Label: label})
		}
		c.options = refWithAny(of.anyLabel, q.Get(of.param), opts)
		return c, nil
	}
	nf := &pages.NameFilter{Value: strings.TrimSpace(q.Get(of.param + "_name"))}
	c.name = nf
	if nf.Value == "" {
		return c, nil
	}
	if orgs, err = s.directory.OrganisationsNamed(ctx, of.kind, nf.Value, of.retired, orgNamedMax); err != nil {
		return c, err
	}
	ids := []int64{}
	for _, o := range orgs {
		ids = append(ids, o.ID)
	}
	switch len(ids) {
	case 0:
		nf.Note = "No " + of.what + "’s name contains “" + nf.Value + "”. Check the spelling, or clear the filter."
	case 1:
	default:
		nf.Note = "Showing the " + of.shown + " of the " + strconv.Itoa(len(ids)) + " " + of.what + "s whose names contain “" + nf.Value + "”."
	}
	c.ids = ids
	return c, nil
}
