package components

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"

	"github.com/a-h/templ"
)

// FormToken is a create form's one-time token, a hidden field drawn afresh each time the form is shown:
// the portal acts on a form once however often it is sent (see internal/ui/form_once.go).
func FormToken() templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		_, err := io.WriteString(w, `<input type="hidden" name="form_token" value="`+hex.EncodeToString(b)+`">`)
		return err
	})
}
