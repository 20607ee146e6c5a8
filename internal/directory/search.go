package directory

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// PageSize is how many programmes a page of search results shows.
const PageSize = 20

// maxPage is the highest page Search asks the database for; higher pages are treated as past the end.
const maxPage = math.MaxInt32 / PageSize

// Filter narrows a directory search. Zero fields match everything.
type Filter struct {
	Text           string       // words to find in names, descriptions, qualifications and provider names
	Tier           int          // 1, 2 or 3
	Category       string       // one of Categories
	ProviderID     int64        // the provider's organisation ID
	ProviderIDs    []int64      // any of these providers (those whose names contain what was typed); nil: any
	Day            time.Weekday // runs on this weekday (Monday to Friday; Sunday, the zero value, means any day)
	YearGroup      int          // accepts this year group (7 to 11)
	IncludeRetired bool         // retired programmes too (they are hidden otherwise)
}

// Results is one page of a search.
type Results struct {
	Programmes []Programme
	Total      int // how many programmes match, on every page
	Page       int // 1-based; moved back to the last page when asked for one past it
	Pages      int
	// TextIgnored is set when the words searched for were all too common to search by (such as
	// "the"), so the text was left out rather than finding nothing.
	TextIgnored bool
}

// Search finds programmes, best match first when Text is set and in name order otherwise, a page at
// a time. The count is bounded by the filter; every condition is served by an index (the search
// vector, the day and year-group arrays, and the name, tier, category and provider orders).
func (s Store) Search(ctx context.Context, f Filter, page int) (Results, error) {
	if page < 1 {
		page = 1
	}
	// A page number from the address can be anything; past maxPage it is past the end whatever the
	// filter, and capping it keeps the offset below from overflowing to a negative number.
	page = min(page, maxPage)
	var res Results
	text := strings.TrimSpace(f.Text)
	if text != "" {
		var nodes int
		if err := s.DB.QueryRow(ctx, `SELECT numnode(websearch_to_tsquery('english', $1))`, text).Scan(&nodes); err != nil {
			return res, fmt.Errorf("search directory: %w", err)
		}
		if nodes == 0 {
			text, res.TextIgnored = "", true
		}
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if !f.IncludeRetired {
		where = append(where, "p.active")
	}
	order := "lower(p.name), p.id"
	if text != "" {
		tq := "websearch_to_tsquery('english', " + arg(text) + ")"
		where = append(where, "p.search @@ "+tq)
		order = "ts_rank(p.search, " + tq + ") DESC, " + order
	}
	if f.Tier != 0 {
		where = append(where, "p.tier = "+arg(f.Tier))
	}
	if f.Category != "" {
		where = append(where, "p.category = "+arg(f.Category))
	}
	if f.ProviderID != 0 {
		where = append(where, "p.organisation_id = "+arg(f.ProviderID))
	}
	if f.ProviderIDs != nil {
		where = append(where, "p.organisation_id = ANY("+arg(f.ProviderIDs)+")")
	}
	if f.Day != time.Sunday {
		where = append(where, "p.days_offered @> ARRAY["+arg(int32(f.Day))+"::int]")
	}
	if f.YearGroup != 0 {
		where = append(where, "p.year_groups @> ARRAY["+arg(int32(f.YearGroup))+"::int]")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	sql := "SELECT " + programmeColumns + ", count(*) OVER () FROM programmes p" + cond +
		" ORDER BY " + order + " LIMIT " + arg(PageSize) + " OFFSET " + arg((page-1)*PageSize)
	rows, err := s.DB.Query(ctx, sql, args...)
	if err != nil {
		return res, fmt.Errorf("search directory: %w", err)
	}
	res.Programmes, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Programme, error) {
		return scanProgramme(row, &res.Total)
	})
	if err != nil {
		return res, fmt.Errorf("search directory: %w", err)
	}
	if len(res.Programmes) == 0 && page > 1 {
		// Past the last page (an old link, or results that have shrunk): show the last page instead.
		countSQL := "SELECT count(*) FROM programmes p" + cond
		if err := s.DB.QueryRow(ctx, countSQL, args[:len(args)-2]...).Scan(&res.Total); err != nil {
			return res, fmt.Errorf("count directory: %w", err)
		}
		if res.Total > 0 {
			return s.Search(ctx, f, pages(res.Total))
		}
	}
	res.Page, res.Pages = page, pages(res.Total)
	return res, nil
}

func pages(total int) int { return (total + PageSize - 1) / PageSize }
