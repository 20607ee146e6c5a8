// Command capbench is `make bench`'s load driver (issue 15). It starts the real portal binary
// against a database already seeded with the demo and a scale factor, signs in 32 sessions of the
// roles that use each page, drives each page for a fixed time with all of them at once, and prints
// requests per second, p50 and p99 beside the floor: a minimal handler on the same stack (chi, scs
// with its PostgreSQL store, pgx, templ) doing a session lookup, one indexed query and a page of
// about the same size. It does this at factor 1 and factor 10, reads the portal's resident memory
// under load, checks the targets and exits non-zero naming the ones missed.
//
//	capbench run -portal bin/capportal -db1 URL -db10 URL [-d 6s] [-c 32]
//	capbench floor -addr 127.0.0.1:PORT   (DATABASE_URL): the floor server, started by run
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: capbench run -portal BIN -db1 URL -db10 URL [-d 6s] [-c 32] | capbench floor -addr ADDR")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "floor":
		err = floor(ctx, os.Args[2:])
	case "createdb":
		err = createDB(ctx, os.Args[2:])
	case "run":
		var ok bool
		ok, err = run(ctx, os.Args[2:])
		if err == nil && !ok {
			stop()
			os.Exit(1)
		}
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "capbench:", err)
		stop()
		os.Exit(1)
	}
}

// createDB makes a fresh database NAME on the server of URL (dropping one left by an earlier run)
// and prints its URL.
func createDB(ctx context.Context, args []string) error {
	if len(args) != 2 || !regexp.MustCompile(`^[a-z_][a-z0-9_]*$`).MatchString(args[1]) {
		return errors.New("usage: capbench createdb URL NAME")
	}
	cfg, err := pgx.ParseConfig(args[0])
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	name := args[1]
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		return err
	}
	u, err := url.Parse(args[0])
	if err != nil {
		return err
	}
	u.Path = "/" + name
	fmt.Println(u.String())
	return nil
}

// floor serves the floor: POST /login puts a user in a session (scs on PostgreSQL, as the portal's);
// GET /page loads it, runs one indexed query (the newest submitted referrals, keyset on the list's
// index) and renders a templ page padded to ?bytes= (the portal page's size).
func floor(ctx context.Context, args []string) error {
	addr := "127.0.0.1:8099"
	if len(args) == 2 && args[0] == "-addr" {
		addr = args[1]
	}
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer pool.Close()
	sm := scs.New()
	sm.Store = pgxstore.NewWithCleanupInterval(pool, 10*time.Minute)
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 0 // as the portal: a page that changes nothing writes no session
	sm.Cookie.Name = "floor_session"
	sm.Cookie.HttpOnly = true
	r := chi.NewRouter()
	r.Use(sm.LoadAndSave)
	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	r.Post("/login", func(w http.ResponseWriter, r *http.Request) {
		if err := sm.RenewToken(r.Context()); err != nil {
			http.Error(w, "session", http.StatusInternalServerError)
			return
		}
		sm.Put(r.Context(), "user", r.FormValue("email"))
		http.Redirect(w, r, "/page", http.StatusSeeOther)
	})
	r.Get("/page", func(w http.ResponseWriter, r *http.Request) {
		user := sm.GetString(r.Context(), "user")
		if user == "" {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		rows, err := pool.Query(r.Context(), `SELECT id, reference, step, step_since FROM referrals
			WHERE step <> 'draft' ORDER BY id DESC LIMIT 25`)
		if err != nil {
			http.Error(w, "query", http.StatusInternalServerError)
			return
		}
		var list []floorRow
		for rows.Next() {
			var x floorRow
			var since time.Time
			if err := rows.Scan(&x.ID, &x.Reference, &x.Step, &since); err != nil {
				http.Error(w, "scan", http.StatusInternalServerError)
				return
			}
			x.Since = since.Format("2 January 2006")
			list = append(list, x)
		}
		if rows.Err() != nil {
			http.Error(w, "rows", http.StatusInternalServerError)
			return
		}
		var padding []string
		var size int
		fmt.Sscan(r.URL.Query().Get("bytes"), &size)
		const para = "This paragraph stands in for the rest of a portal page: its navigation, summary lists, tags and the footer, so that the floor writes as many bytes as the page it is compared with."
		for n := 4000 + 25*300; n < size; n += len(para) + 30 {
			padding = append(padding, para)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := floorPage(user, list, padding).Render(r.Context(), w); err != nil {
			slog.Error("render", "err", err)
		}
	})
	srv := &http.Server{Addr: addr, Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != nil && !strings.Contains(err.Error(), "Server closed") {
		return err
	}
	return nil
}
