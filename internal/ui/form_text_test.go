package ui

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Every field of a form is cleaned but the passwords, which are compared exactly as typed.
func TestCleanFormLeavesPasswordsAsTyped(t *testing.T) {
	body := url.Values{"name": {"Sam\u202Enosli"}, "notes": {"a\r\nb"}, "password": {"pass\u202Eword\r\n"}, "new": {"x\u2066y"}}
	r := httptest.NewRequest("POST", "/account?q=%E2%80%AEq", strings.NewReader(body.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := r.ParseForm(); err != nil {
		t.Fatal(err)
	}
	cleanForm(r)
	for _, vs := range []url.Values{r.Form, r.PostForm} {
		if vs.Get("name") != "Samnosli" || vs.Get("notes") != "a\nb" || vs.Get("password") != "pass\u202Eword\r\n" || vs.Get("new") != "x\u2066y" {
			t.Errorf("cleaned %q", vs)
		}
	}
	if r.Form.Get("q") != "q" {
		t.Errorf("the address's value %q was not cleaned", r.Form.Get("q"))
	}
}
