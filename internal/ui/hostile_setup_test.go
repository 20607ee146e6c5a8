package ui_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/coventry-cap/capportal/internal/calendar"
	"github.com/coventry-cap/capportal/internal/placement/placementtest"
	"github.com/coventry-cap/capportal/internal/testapp"
)

// hostileSetup makes, through the portal's own forms, the state in which the forms that only show
// for a record of some kind appear: a placement with a change of day, a withdrawal, a meeting with an
// action and a register taken; a draft referral with a document; a student import waiting to be
// confirmed. It returns, for each walker, the pages to start from besides the home page.
func hostileSetup(t *testing.T, a *testapp.App, w *hostileWalk) map[string][]string {
	t.Helper()
	starts := map[string][]string{}
	forms := map[string]createFormCase{}
	for _, tc := range createForms(t, a) { // Kai at Ridgeway is the placement they share
		forms[tc.name] = tc
	}
	send := func(tc createFormCase) string {
		t.Helper()
		c := a.Client(t)
		c.SignIn(tc.who)
		page := c.Get(tc.page)
		w.note(tc.who, tc.page, page)
		form, _, ok := pageForm(t, page, tc.post)
		if !ok {
			t.Fatalf("setup: GET %s shows no form posting to %s", tc.page, tc.post)
		}
		if tc.fill != nil {
			tc.fill(t, page, form)
		}
		r := c.Post(tc.post, form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("setup: %s: %d", tc.name, r.StatusCode)
		}
		return r.Location()
	}
	change := send(forms["change of day"])
	withdrawal := send(forms["withdrawal"])
	pl := strings.TrimSuffix(forms["withdrawal"].post, "/withdraw")
	// A meeting with an action for Craig Holloway, the provider's staff, so its "done" form shows.
	meeting := forms["attendance meeting"]
	fill := meeting.fill
	meeting.fill = func(t *testing.T, page testapp.Response, v url.Values) {
		fill(t, page, v)
		craig := ""
		page.Doc(t).Find(`select[name="owner-1"] option`).Each(func(_ int, o *goquery.Selection) {
			if strings.Contains(o.Text(), "Craig Holloway") {
				craig, _ = o.Attr("value")
			}
		})
		if craig == "" {
			t.Fatal("setup: the meeting form does not offer Craig Holloway as an action's owner")
		}
		setAll(v, "action-1", "Call home every morning Kai is absent", "owner-1", craig, "due-1-day", "27", "due-1-month", "11", "due-1-year", "2026")
	}
	send(meeting)
	register := send(forms["register"])
	send(forms["qualification"])
	// The change agreed by both sides and submitted, and the withdrawal met about and submitted, so CAP's
	// forms to apply and process them show; a second placement keeps the forms to agree and record a meeting.
	press(t, a, w, "headteacher@whitmore.school.example", change, change+"/agree", "side", "school")
	press(t, a, w, chRidgeway, change, change+"/agree", "side", "provider")
	press(t, a, w, studentWhitmoreCoordinator, change, change+"/submit")
	press(t, a, w, chRidgeway, withdrawal, withdrawal+"/meeting", "held-day", "20", "held-month", "11", "held-year", "2026",
		"attendees", "Craig Holloway, Hannah Okafor", "notes", "Agreed to withdraw")
	press(t, a, w, chRidgeway, withdrawal, withdrawal+"/submit")
	second := placementtest.Create(t, a.Pool, placementtest.Spec{StudentID: hostileFreeStudent(t, a, "", false), Provider: "ridgeway",
		Start: calendar.NewDate(2026, time.November, 2), Days: []int32{1, 2}})
	pl2 := "/placements/" + itoa64(second)
	for _, tc := range []createFormCase{forms["change of day"], forms["withdrawal"]} {
		tc.page, tc.post = strings.Replace(tc.page, pl, pl2, 1), strings.Replace(tc.post, pl, pl2, 1)
		starts[chRidgeway] = append(starts[chRidgeway], send(tc))
	}
	// A user deactivated, so the form to reactivate them shows; a rollover copied, so its confirmation shows.
	tutor := userID(t, a, "tutor@ridgeway.provider.example")
	press(t, a, w, "admin@cap.example", "/admin/users/"+tutor, "/admin/users/"+tutor+"/deactivate")
	rollover := a.Client(t)
	rollover.SignIn("admin@cap.example")
	if page := rollover.Get("/admin/rollover"); true {
		w.note("admin@cap.example", "/admin/rollover", page)
		if form, _, ok := pageForm(t, page, "/admin/rollover"); ok {
			r := rollover.Post("/admin/rollover", form)
			w.note("admin@cap.example", "/admin/rollover (its answer)", r)
		}
	}
	ridgeway := []string{change, withdrawal, pl + "/monitoring", register, pl + "/outcome", pl2, pl2 + "/monitoring"}
	starts[chRidgeway] = append(starts[chRidgeway], ridgeway...)
	starts["monitoring@cap.example"] = ridgeway
	starts["admin@cap.example"] = append(ridgeway, "/admin/rollover", "/neet-risk", "/census", "/admin/users/"+tutor)
	starts["coordinator@whitmore.school.example"] = []string{change, withdrawal, pl + "/monitoring"}
	starts["headteacher@whitmore.school.example"] = []string{change, withdrawal}

	// A draft referral with a document, and a student import waiting to be confirmed.
	coord := a.Client(t)
	coord.SignIn(appCoordinator)
	draft := send(forms["referral start"])
	key := strings.TrimSuffix(strings.TrimPrefix(draft, "/referrals/"), "/application")
	docs := "/referrals/" + key + "/documents"
	page := coord.Get(docs)
	form, _, ok := pageForm(t, page, docs)
	if !ok {
		t.Fatalf("setup: %s shows no upload form", docs)
	}
	form.Set("kind", "other")
	form.Set("description", "Attendance letter")
	if r := multipartPost(t, a, coord, docs, form, "file", "letter.pdf", []byte("%PDF-1.4\n%hostile setup\n")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: upload: %d", r.StatusCode)
	}
	page = coord.Get("/students/import")
	form, _, ok = pageForm(t, page, "/students/import")
	if !ok {
		t.Fatal("setup: no import form")
	}
	csv := "UPN,Legal forename,Legal surname,DOB,Sex,Year\nH331290119101,Poppy,Vance,04/06/2012,F,9\n"
	r := multipartPost(t, a, coord, "/students/import", form, "file", "students.csv", []byte(csv))
	if r.StatusCode != http.StatusOK {
		t.Fatalf("setup: import preview: %d", r.StatusCode)
	}
	w.note(appCoordinator, "/students/import (its answer)", r)
	// Year 11's destinations and full-time hours.
	rows, err := a.Pool.Query(context.Background(), `SELECT s.id FROM students s JOIN organisations o ON o.id = s.school_id
		WHERE o.slug = 'whitmore' ORDER BY s.year_group DESC, s.id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{appCoordinator, "admin@cap.example"} {
			starts[who] = append(starts[who], "/students/"+itoa64(id)+"/destination", "/students/"+itoa64(id)+"/hours")
		}
	}
	rows.Close()
	starts[appCoordinator] = append(starts[appCoordinator], draft, docs, "/referrals/"+key+"/check", "/referrals/"+key+"/delete")
	return starts
}

// press sends the form the page shows the person, posting to action, with the values given, and
// fails the test unless it is saved.
func press(t *testing.T, a *testapp.App, w *hostileWalk, who, page, action string, kv ...string) {
	t.Helper()
	c := a.Client(t)
	c.SignIn(who)
	shown := c.Get(page)
	w.note(who, page, shown) // the form is gone once pressed
	form, _, ok := pageForm(t, shown, action)
	if !ok {
		t.Fatalf("setup: %s shows %s no form posting to %s", page, who, action)
	}
	setAll(form, kv...)
	if r := c.Post(action, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %s posting to %s: %d %s", who, action, r.StatusCode, strings.Join(strings.Fields(r.Doc(t).Find("main").Text()), " "))
	}
}

// hostileFreeStudent is a student of the school (any but Whitmore when "") with no placement and no
// referral, in a year Ridgeway's course takes when forCourse.
func hostileFreeStudent(t *testing.T, a *testapp.App, school string, forCourse bool) int64 {
	t.Helper()
	var id int64
	err := a.Pool.QueryRow(context.Background(), `SELECT s.id FROM students s JOIN organisations o ON o.id = s.school_id
		WHERE (o.slug = $2 OR ($2 = '' AND o.slug <> 'whitmore')) AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.student_id = s.id)
		AND NOT EXISTS (SELECT 1 FROM referrals r WHERE r.student_id = s.id)
		AND (NOT $3 OR EXISTS (SELECT 1 FROM programmes p WHERE p.id = $1::bigint AND s.year_group = ANY(p.year_groups)))
		ORDER BY EXISTS (SELECT 1 FROM programmes p WHERE p.id = $1::bigint AND s.year_group = ANY(p.year_groups)) <> $3, s.id LIMIT 1`, appCourseID(t, a), school, forCourse).Scan(&id)
	if err != nil {
		t.Fatalf("a free student: %v", err)
	}
	return id
}

// multipartPost sends a form with one file, as a browser sends an upload form.
func multipartPost(t *testing.T, a *testapp.App, c *testapp.Client, path string, v url.Values, fileField, fileName string, content []byte) testapp.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range v {
		for _, s := range vs {
			_ = mw.WriteField(k, s)
		}
	}
	fw, err := mw.CreateFormFile(fileField, fileName)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, a.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.Do(req)
}
