package document

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/db"
)

// Store reads and writes a referral's documents. DB is the pool, or a transaction a caller runs it inside.
type Store struct {
	DB db.DBTX
}

// On is the store over a pool or a transaction.
func On(conn db.DBTX) Store { return Store{DB: conn} }

// Upload is one file to attach to a referral: what the form said about it and the checked bytes.
type Upload struct {
	Kind Kind
	// Checked is what Validate returned for Data.
	Checked Checked
	Data    []byte
	// CompletedOn and Template are required for a risk assessment and ignored for other kinds.
	CompletedOn calendar.Date
	Template    Template
	Description string
}

// Meta describes a stored document without its content, for lists and the pack's index.
type Meta struct {
	ID          int64
	Kind        Kind
	FileName    string
	ContentType string
	Size        int
	SHA256      string
	// CompletedOn and Template are set for risk assessments only.
	CompletedOn  calendar.Date
	Template     Template
	Description  string
	UploadedAt   time.Time
	UploadedByID int64
	// UploadedBy is the uploader's name as it is now in users.
	UploadedBy string
}

// Doc is a stored document with its content, for a download or a pack.
type Doc struct {
	Meta
	Content []byte
}

// Insert stores an upload against a referral and returns its id. The caller has already decided that
// uploadedBy may add documents to this referral.
func (s Store) Insert(ctx context.Context, referralID, uploadedBy int64, now time.Time, in Upload) (int64, error) {
	if !in.Kind.Valid() {
		return 0, fmt.Errorf("document: unknown kind %q", in.Kind)
	}
	if _, ok := extensions[in.Checked.ContentType]; !ok {
		return 0, fmt.Errorf("document: content type %q was not checked by Validate", in.Checked.ContentType)
	}
	// The Checked value travels separately from the bytes through the handler; make sure they still agree.
	sum := sha256.Sum256(in.Data)
	if len(in.Data) != in.Checked.Size || hex.EncodeToString(sum[:]) != in.Checked.SHA256 {
		return 0, errors.New("document: the upload's bytes do not match what Validate checked")
	}
	description := strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(description) > MaxDescription {
		return 0, ErrDescription
	}
	completed, template := calendar.Date{}, Template("")
	if in.Kind == RiskAssessment {
		if in.CompletedOn.IsZero() || !in.Template.Valid() {
			return 0, errors.New("document: a risk assessment needs its completion date and template")
		}
		completed, template = in.CompletedOn, in.Template
	}
	var id int64
	err := s.DB.QueryRow(ctx, `
		INSERT INTO referral_documents (referral_id, kind, file_name, content_type, size_bytes, sha256, content,
		                                completed_on, template, description, uploaded_at, uploaded_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9, ''), $10, $11, $12)
		RETURNING id`,
		referralID, string(in.Kind), in.Checked.FileName, in.Checked.ContentType, in.Checked.Size,
		in.Checked.SHA256, in.Data, completed, string(template), description, now, uploadedBy,
	).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert referral document: %w", err)
	}
	return id, nil
}

// metaColumns are the columns behind Meta, in scanMeta's order.
const metaColumns = `d.id, d.kind, d.file_name, d.content_type, d.size_bytes, d.sha256, d.completed_on,
	COALESCE(d.template, ''), d.description, d.uploaded_at, d.uploaded_by, u.name`

func scanMeta(row pgx.Row, m *Meta, extra ...any) error {
	var kind, template string
	dest := append([]any{&m.ID, &kind, &m.FileName, &m.ContentType, &m.Size, &m.SHA256, &m.CompletedOn,
		&template, &m.Description, &m.UploadedAt, &m.UploadedByID, &m.UploadedBy}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	m.Kind, m.Template = Kind(kind), Template(template)
	return nil
}

// List returns a referral's current documents (not removed), oldest first, without their content.
func (s Store) List(ctx context.Context, referralID int64) ([]Meta, error) {
	rows, err := s.DB.Query(ctx, listSQL, referralID)
	if err != nil {
		return nil, fmt.Errorf("list referral documents: %w", err)
	}
	return readList(rows)
}

const listSQL = `
		SELECT ` + metaColumns + `
		FROM referral_documents d JOIN users u ON u.id = d.uploaded_by
		WHERE d.referral_id = $1 AND d.removed_at IS NULL
		ORDER BY d.id`

// QueueList queues List's statement on a batch, to be read into out when the batch is sent.
func QueueList(b *pgx.Batch, referralID int64, out *[]Meta) {
	b.Queue(listSQL, referralID).Query(func(rows pgx.Rows) error {
		var err error
		*out, err = readList(rows)
		return err
	})
}

func readList(rows pgx.Rows) ([]Meta, error) {
	defer rows.Close()
	var out []Meta
	for rows.Next() {
		var m Meta
		if err := scanMeta(rows, &m); err != nil {
			return nil, fmt.Errorf("scan referral document: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list referral documents: %w", err)
	}
	return out, nil
}

// Get returns one current document of a referral with its content. A document that was removed, or that
// belongs to another referral, is db.ErrNotFound: the referral id is the scope the caller checked.
func (s Store) Get(ctx context.Context, referralID, docID int64) (Doc, error) {
	var d Doc
	row := s.DB.QueryRow(ctx, `
		SELECT `+metaColumns+`, d.content
		FROM referral_documents d JOIN users u ON u.id = d.uploaded_by
		WHERE d.referral_id = $1 AND d.id = $2 AND d.removed_at IS NULL`, referralID, docID)
	if err := scanMeta(row, &d.Meta, &d.Content); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return Doc{}, db.ErrNotFound
		}
		return Doc{}, fmt.Errorf("get referral document: %w", err)
	}
	return d, nil
}

// Remove takes a document out of a referral. The row and its content are kept (nothing submitted is
// lost) with who removed it and when. A document already removed, or of another referral, is
// db.ErrNotFound.
func (s Store) Remove(ctx context.Context, referralID, docID, by int64, now time.Time) error {
	tag, err := s.DB.Exec(ctx, `
		UPDATE referral_documents SET removed_at = $3, removed_by = $4
		WHERE referral_id = $1 AND id = $2 AND removed_at IS NULL`, referralID, docID, now, by)
	if err != nil {
		return fmt.Errorf("remove referral document: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return db.ErrNotFound
	}
	return nil
}

// SameContent reports whether a referral already holds a current document of this kind with these
// bytes, so a second press of "Upload" can be answered with the first document instead of a
// duplicate. The same file attached as another kind is a different document and is not matched.
func (s Store) SameContent(ctx context.Context, referralID int64, kind Kind, c Checked) (Meta, bool, error) {
	var m Meta
	err := s.DB.QueryRow(ctx, `
		SELECT id, file_name FROM referral_documents
		WHERE referral_id = $1 AND kind = $2 AND sha256 = $3 AND size_bytes = $4 AND removed_at IS NULL
		ORDER BY id LIMIT 1`, referralID, string(kind), c.SHA256, c.Size).Scan(&m.ID, &m.FileName)
	if errors.Is(err, pgx.ErrNoRows) {
		return m, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("find referral document by content: %w", err)
	}
	m.Kind = kind
	return m, true, nil
}
