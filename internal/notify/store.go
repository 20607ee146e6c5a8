package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/auth"
	"github.com/coventry-cap/capportal/internal/db"
)

// Store reads and writes in-app notifications. DB is the pool, or a transaction a caller runs it inside.
type Store struct {
	DB db.DBTX
}

// On is the store over a pool or a transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Notification is one in-app notification, as its recipient sees it.
type Notification struct {
	ID        int64
	UserID    int64
	CreatedAt time.Time
	Kind      string
	Subject   string
	Body      string
	Link      string
	ReadAt    *time.Time
}

// Unread reports whether the recipient has not opened it yet.
func (n Notification) Unread() bool { return n.ReadAt == nil }

const notificationColumns = `id, user_id, created_at, kind, subject, body, link, read_at`

// List returns the user's notifications newest first, starting after the one with ID before (0 for
// the newest), at most limit of them, and whether there are older ones.
func (s Store) List(ctx context.Context, userID, before int64, limit int) ([]Notification, bool, error) {
	if limit <= 0 {
		limit = 1
	}
	cond := ""
	args := []any{userID}
	if before > 0 {
		cond = " AND id < $2"
		args = append(args, before)
	}
	rows, err := s.DB.Query(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE user_id = $1`+cond+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit+1), args...)
	if err != nil {
		return nil, false, fmt.Errorf("list notifications: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Notification])
	if err != nil {
		return nil, false, fmt.Errorf("list notifications: %w", err)
	}
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	return list, more, nil
}

// UnreadCap is the most unread notifications UnreadCount counts: the navigation shows "99+" beyond
// it, and no page load counts an unbounded number of rows. Every signed-in request reads the count
// with the person (auth.Principal.Unread), under the same cap.
const UnreadCap = auth.UnreadCap

// UnreadCount returns how many of the user's notifications are unread, up to UnreadCap+1.
func (s Store) UnreadCount(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.DB.QueryRow(ctx, `SELECT count(*) FROM (
		SELECT 1 FROM notifications WHERE user_id = $1 AND read_at IS NULL LIMIT `+strconv.Itoa(UnreadCap+1)+`) AS unread`,
		userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// Get returns one of the user's notifications, or db.ErrNotFound when it is not theirs.
func (s Store) Get(ctx context.Context, userID, id int64) (Notification, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return Notification{}, fmt.Errorf("get notification: %w", err)
	}
	n, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Notification])
	if errors.Is(err, pgx.ErrNoRows) {
		return Notification{}, db.ErrNotFound
	}
	if err != nil {
		return Notification{}, fmt.Errorf("get notification: %w", err)
	}
	return n, nil
}

// MarkRead marks one of the user's notifications read (keeping the first time it was read) and
// returns it, or db.ErrNotFound when it is not theirs.
func (s Store) MarkRead(ctx context.Context, userID, id int64, now time.Time) (Notification, error) {
	rows, err := s.DB.Query(ctx, `UPDATE notifications SET read_at = coalesce(read_at, $3)
		WHERE id = $1 AND user_id = $2 RETURNING `+notificationColumns, id, userID, now)
	if err != nil {
		return Notification{}, fmt.Errorf("mark notification read: %w", err)
	}
	n, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[Notification])
	if errors.Is(err, pgx.ErrNoRows) {
		return Notification{}, db.ErrNotFound
	}
	if err != nil {
		return Notification{}, fmt.Errorf("mark notification read: %w", err)
	}
	return n, nil
}

// MarkAllRead marks every unread notification of the user read and returns how many it marked.
func (s Store) MarkAllRead(ctx context.Context, userID int64, now time.Time) (int64, error) {
	tag, err := s.DB.Exec(ctx, `UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL`, userID, now)
	if err != nil {
		return 0, fmt.Errorf("mark notifications read: %w", err)
	}
	return tag.RowsAffected(), nil
}
